"""The HTML page of an executed report notebook.

nbconvert's lab page, through the ``report`` template beside this module: the report's
title (from the reports file) as ``<title>`` and H1 with the notebook's own heading as a
subtitle, a header linking back to the index with the build date, commit and the sources
the report read, the key findings first, the notebook's cells with code hidden, and the
``NBVAL_CHECK_OUTPUT`` cells' plain-text numbers folded into one "Checked numbers"
section at the end. No script is loaded (no MathJax: a "$" in prose stays a dollar sign);
a page with a sortable table gets one small inline script to sort it.
"""

from __future__ import annotations

import copy
import html
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the no-op build imports this module; nbformat costs 0.1 s to import
    import nbformat

from reelib.publish.provenance import build_stamp, reelib_version
from reelib.present import layout
from reelib.present.numbers import format_fact
from reelib.sources.registry import load_registry

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report"
#: nbval's comment that marks a cell whose printed output it compares
CHECK_MARK = "NBVAL_CHECK_OUTPUT"
_H1 = re.compile(r"^\s*#\s+(.+?)\s*$", re.MULTILINE)
#: a table marked sortable (the stylesheet names the class too, so match the attribute)
SORTABLE = re.compile(r'<table[^>]*class="[^"]*\breelib-sortable\b')


@lru_cache(maxsize=2)
def html_exporter(hide_code: bool = True):
    """nbconvert's HTML exporter with the report template, built once per process."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=hide_code, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.log.setLevel("ERROR")  # its missing-alt warning: we fill the alt text below
    return exporter


def is_check_cell(cell) -> bool:
    r"""True for a code cell whose output nbval compares: a comment line reading
    ``# NBVAL_CHECK_OUTPUT``, as nbval itself finds it (any number of '#', any indent).

    >>> is_check_cell({"cell_type": "code", "source": "x = 1\n  ## NBVAL_CHECK_OUTPUT"})
    True
    >>> is_check_cell({"cell_type": "code", "source": "print('NBVAL_CHECK_OUTPUT')"})
    False
    """
    if cell.get("cell_type") != "code":
        return False
    return any(line.strip().startswith("#") and line.strip().lstrip("#").strip() == CHECK_MARK
               for line in "".join(cell.get("source", "")).splitlines())


def check_texts(nb: nbformat.NotebookNode) -> list[str]:
    """The plain text the check cells printed, one entry per output."""
    texts = []
    for cell in nb.cells:
        if not is_check_cell(cell):
            continue
        for out in cell.get("outputs", []):
            text = out.get("text") if out.get("output_type") == "stream" else (
                out.get("data", {}).get("text/plain"))
            if text:
                texts.append("".join(text).rstrip("\n"))
    return texts


def take_subtitle(nb: nbformat.NotebookNode) -> str:
    """Remove the notebook's first level-1 heading and return its text.

    The page's H1 is the report's title (which names its element or commodity); the
    notebook's own heading, shared by every report it makes, becomes the subtitle.
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        match = _H1.search(cell.source)
        if match:
            cell.source = (cell.source[:match.start()] + cell.source[match.end():]).strip()
            return match.group(1).strip()
        return ""
    return ""


def source_labels(source_ids: list[str]) -> list[dict[str, str]]:
    """Header entries for the sources a report read: short label and full citation."""
    registry = load_registry()
    out = []
    for sid, source in registry.items():  # registry order: the same on every page
        if sid in source_ids:
            out.append({"id": sid, "label": f"{source.name} ({source.edition})",
                        "citation": source.citation})
    return out


def key_findings(facts: dict[str, Any]) -> list[dict[str, str]]:
    """The facts recorded with ``key_finding=True``, formatted the one way pages write them."""
    return [{"key": key, "label": f.get("label") or key, "text": format_fact(f),
             "source": f.get("source", ""), "edition": f.get("edition", ""),
             "caveats": f.get("caveats", "")}
            for key, f in facts.items() if isinstance(f, dict) and f.get("key_finding")]


def read_json(path: Path, default):
    """The JSON in ``path``, or ``default`` when it is missing, unreadable or of another
    type (a damaged facts file never stops a page or the index)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return value if isinstance(value, type(default)) else default


def page_context(spec, folder: Path | None = None, *,
                 stamp: dict[str, str] | None = None) -> dict[str, Any]:
    """What the template needs besides the notebook, from the spec and the report folder;
    ``stamp`` is the build's time and commit (``provenance.build_stamp``), made once per
    build by its parent so every page of a build shows the same."""
    facts = read_json(folder / layout.FACTS, {}) if folder is not None else {}
    sources = read_json(folder / layout.SOURCES, []) if folder is not None else []
    params = {k: v for k, v in spec.parameters.items() if k != "report_dir"}
    return {
        "name": spec.name, "title": spec.title,
        "description": spec.description,
        "index_href": f"../{layout.INDEX_PAGE}", "notebook_href": layout.notebook_file(spec.name),
        **(stamp or build_stamp()), "version": reelib_version(),
        "parameters": json.dumps(params, sort_keys=True, ensure_ascii=False) if params else "",
        "sources": source_labels([s for s in sources if isinstance(s, str)]),
        "findings": key_findings(facts),
    }


def notebook_html(nb: nbformat.NotebookNode, context: dict[str, Any], *,
                  hide_code: bool = True) -> str:
    """The report page of an executed notebook (code hidden unless ``hide_code=False``)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:  # papermill gives this cell a random id; the page must not change
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    checks = check_texts(nb) if hide_code else []
    if hide_code:
        nb.cells = [c for c in nb.cells if not is_check_cell(c)]
    subtitle = take_subtitle(nb)
    resources = {"reelib": {**context, "subtitle": subtitle, "checks": checks}}
    body, _ = html_exporter(hide_code).from_notebook_node(nb, resources=resources)
    # nbconvert's template drops the alt text reelib.present.report puts in the output
    # metadata and writes a placeholder instead; put the figure titles back, in order.
    alts = [o.get("metadata", {}).get("image/png", {}).get("alt", "")
            for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})]
    placeholder = 'alt="No description has been provided for this image"'
    for alt in alts:
        if alt and placeholder in body:
            body = body.replace(placeholder, f'alt="{html.escape(alt)}"', 1)
    if SORTABLE.search(body):  # the page's one script: sort a table by a column
        script = (TEMPLATES_DIR / TEMPLATE / "sortable.js").read_text(encoding="utf-8")
        body = body.replace("</body>", f"<script>\n{script}</script>\n</body>", 1)
    return body
