"""``reelib preview``: a researcher's loop -- edit a notebook, see its page rebuilt.

The command builds the chosen reports (or all), then keeps running: it serves
``reports/`` on a local port and watches the notebooks of those reports and their
parameters (``notebooks/reports.yaml``). When a notebook is saved, the reports made from
it are rebuilt -- only those -- and every open page of the site reloads itself, as
``quarto preview`` does. Rebuilds go through the normal build (the lock, staging, the
atomic swap, the failed-notebook copy), so what the preview shows is what ``make reports``
would publish.

Why it is fast: the build forks each report from a warm parent that imported the stack
once (``reelib.publish.workers``). A plain ``reelib build NAME`` starts that parent anew
(about 3.4 s); the preview starts it once and keeps it, so a rebuild costs the report's
own work. The parent holds the reelib code it imported: after a change under
``src/reelib`` the preview says so and asks for a restart.
"""

from __future__ import annotations

import errno
import functools
import http.server
import threading
import time
from pathlib import Path

from reelib import config
from reelib.exceptions import ParameterError, ReelibError
from reelib.publish.specs import ReportSpec, load_reports_file, select_specs

#: the address pages poll to learn that the site changed
VERSION_PATH = "/__reelib__/version"
#: seconds between looks at the watched files (a stat of a few files: cheap)
POLL = 0.1
#: looks at the watched files between looks at reelib's own code (~150 files)
CODE_EVERY = 20
RELOAD_SCRIPT = (
    "<script>/* reelib preview: reload when a rebuild finishes */(function(){var v=null;"
    "setInterval(function(){fetch('" + VERSION_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)"
    "location.reload();v=t}).catch(function(){})},700)})();</script>")


class _State:
    """The site's version: bumped after every rebuild (pages poll it)."""

    def __init__(self) -> None:
        self.version = 0
        self.lock = threading.Lock()

    def bump(self) -> int:
        with self.lock:
            self.version += 1
            return self.version


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``reports/``; HTML pages get the reload script, the version path the
    current version. Quiet: one line per request would drown the build's output."""

    state: _State

    def _send(self, body: bytes, content_type: str) -> None:
        """A 200 response that the browser never caches (a page changes with each build)."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == VERSION_PATH:
            self._send(str(self.state.version).encode(), "text/plain")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            text = path.read_text(encoding="utf-8")
            at = text.rfind("</body>")
            text = text[:at] + RELOAD_SCRIPT + text[at:] if at >= 0 else text + RELOAD_SCRIPT
            self._send(text.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


#: what to do when the port cannot be had, by errno
_PORT_FIX = {errno.EADDRINUSE: "the port is in use (another preview or server?)",
             errno.EACCES: "this user may not use the port (below 1024 needs privileges)"}


def serve(reports_dir: Path, state: _State, port: int) -> http.server.ThreadingHTTPServer:
    """Start serving ``reports_dir`` on localhost:``port`` (0: any free port) in a
    daemon thread; return the server (its ``server_address`` has the port).

    A port that cannot be had raises ``ParameterError`` naming it and the way out."""
    handler = type("Handler", (_Handler,), {"state": state})
    try:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(reports_dir)))
    except OSError as exc:
        why = _PORT_FIX.get(exc.errno or 0, f"it cannot be opened ({exc.strerror or exc})")
        raise ParameterError(f"--port {port}: {why}; pass --port 0 for any free port, or "
                             "another port") from exc
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _stamp(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for p in paths:
        try:
            st = p.stat()
            out[p] = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            out[p] = (0, 0)
    return out


def _code_stamp() -> dict[Path, tuple[int, int]]:
    return _stamp(sorted(Path(__file__).resolve().parents[1].rglob("*.py")))


def affected(specs: list[ReportSpec], changed: set[Path]) -> list[str]:
    """The reports made from a changed notebook (all of them if the reports file
    changed), in the order the reports file lists them."""
    if (config.NOTEBOOKS_DIR / "reports.yaml").resolve() in changed:
        return [s.name for s in specs]
    return [s.name for s in specs if s.notebook.resolve() in changed]


def preview(names: list[str] | None, *, port: int = 8000, jobs: int = 1, echo=print,
            poll: float = POLL, stop: threading.Event | None = None) -> int:
    """Build ``names`` (or every report), serve ``reports/`` and rebuild on each save until
    interrupted (or ``stop`` is set). Returns the number of rebuilds."""
    from reelib.publish.schedule import build_reports

    from reelib.publish import workers

    reports_dir = config.REPORTS_DIR
    specs = select_specs(load_reports_file(), names or None)
    state = _State()
    server = serve(reports_dir, state, port)  # first: a port in use stops it before a build
    try:
        workers.warm_up()  # even when every report is current: the first save must not wait
        build_reports([s.name for s in specs], jobs=jobs, echo=echo)
        host, bound = server.server_address[:2]
        first = f"{specs[0].name}/{specs[0].name}.html" if len(specs) == 1 else "index.html"
        echo(f"preview: serving http://{host}:{bound}/{first}; watching "
             f"{len({s.notebook for s in specs})} notebook(s); Ctrl-C stops")
        return _watch(specs, names, jobs, echo, poll, stop, state)
    finally:
        server.shutdown()
        server.server_close()


def _watch(specs: list[ReportSpec], names: list[str] | None, jobs: int, echo, poll: float,
           stop: threading.Event | None, state: _State) -> int:
    """Rebuild the reports of each saved notebook until interrupted; return how many."""
    from reelib.publish.schedule import build_reports

    watched = sorted({s.notebook.resolve() for s in specs}
                     | {(config.NOTEBOOKS_DIR / "reports.yaml").resolve()})
    seen, code = _stamp(watched), _code_stamp()
    rebuilds, warned, polls = 0, False, 0
    while not (stop and stop.is_set()):
        time.sleep(poll)
        polls += 1
        now = _stamp(watched)
        changed = {p for p in watched if now[p] != seen[p]}
        if not warned and polls % CODE_EVERY == 0 and _code_stamp() != code:
            echo("preview: reelib's code changed; the warm parent still runs the old "
                 "code: stop and start `reelib preview` to load it")
            warned = True
        if not changed:
            continue
        time.sleep(poll)  # an editor saving in two writes: take the second
        later = _stamp(watched)
        changed |= {p for p in watched if later[p] != now[p]}
        seen = later
        began = time.perf_counter()
        try:
            if (config.NOTEBOOKS_DIR / "reports.yaml").resolve() in changed:
                specs = select_specs(load_reports_file(), names or None)
            todo = affected(specs, changed)
            result = build_reports(todo, jobs=jobs, echo=echo, wait_for_lock=600)
        except ReelibError as exc:  # a broken reports file, a lock held too long, ...
            echo(f"preview: {type(exc).__name__}: {exc}")
            continue
        rebuilds += 1
        version = state.bump()
        echo(f"preview: rebuilt {', '.join(todo)} in {time.perf_counter() - began:.1f} s "
             f"({'ok' if result.ok else 'failed: the previous page is kept'}; "
             f"version {version})")
    return rebuilds
