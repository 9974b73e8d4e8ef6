// Click a header of a sortable table to sort by that column; click again to reverse.
// Inline, no library, nothing loaded from the network.
document.querySelectorAll("table.reelib-sortable").forEach(function (table) {
  table.querySelectorAll("thead th").forEach(function (th, i) {
    th.style.cursor = "pointer";
    th.title = "Sort by this column";
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var dir = th.dataset.dir === "asc" ? -1 : 1;
      th.dataset.dir = dir === 1 ? "asc" : "desc";
      var key = function (row) {
        var text = row.cells[i] ? row.cells[i].textContent.trim() : "";
        var num = parseFloat(text.replace(/[,%]/g, ""));
        return isNaN(num) ? [1, text.toLowerCase()] : [0, num];
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x[0] !== y[0]) { return x[0] - y[0]; }  // numbers first, blanks and text after
        return (x[1] > y[1] ? 1 : x[1] < y[1] ? -1 : 0) * dir;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
