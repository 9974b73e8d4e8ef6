"""The package is layered like the data's journey; imports only run down the layers.

    files -> sources -> reference -> readers -> processed -> analysis -> present -> publish

A module may import from its own layer or a lower one, never from a higher one, and the
module graph (imports inside functions and relative imports included) has no cycle. The
top level of ``src/reelib`` holds only the package, config, exceptions and the two front
doors (``cli`` for the shell, ``api`` for researchers' own notebooks); ``devtools`` (the
maintainers' tools) may use every layer and no layer uses it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reelib

PACKAGE = Path(reelib.__file__).resolve().parent
#: Layers from the ground up; a module may import only from its own layer or lower ones.
LAYERS = ["ground", "files", "sources", "reference", "readers", "processed", "analysis",
          "present", "publish", "api", "cli", "devtools"]
GROUND = {"reelib", "reelib.config", "reelib.exceptions"}
TOP_LEVEL = {"__init__.py", "config.py", "exceptions.py", "cli.py", "api.py"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def layer(module: str) -> int:
    if module in GROUND:
        return 0
    return LAYERS.index(module.split(".")[1])


def _resolve(name: str, modules=MODULES) -> str | None:
    """The reelib module an import refers to (a name inside a module -> that module)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module name of ``from <dots><name> import ...`` written in ``module``:
    one dot is the module's own package, each further dot one package up."""
    package = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imports_in(source: str, module: str, is_package: bool = False,
               modules=MODULES) -> set[str]:
    """Every reelib module ``source`` (the text of ``module``) imports, at the top or inside
    functions, absolute or relative."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node) if node.level else node.module or ""
            # "from reelib.x import y": the module reelib.x.y if there is one, else reelib.x
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                     for a in node.names]
        else:
            continue
        for name in names:
            if name == "reelib" or name.startswith("reelib."):
                target = _resolve(name, modules)
                if target and target != module:
                    out.add(target)
    return out


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    return imports_in(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


GRAPH = {m: imports_of(m) for m in MODULES}


def upward_imports(module: str, targets: set[str]) -> list[str]:
    return sorted(t for t in targets if layer(t) > layer(module))


def test_every_module_sits_in_a_known_layer():
    unknown = [m for m in MODULES if m not in GROUND and m.split(".")[1] not in LAYERS]
    assert not unknown, f"modules outside the layers: {unknown}"


def test_the_top_level_holds_only_the_package_config_exceptions_and_front_doors():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top <= TOP_LEVEL, f"move {sorted(top - TOP_LEVEL)} into a layer folder"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_runs_up_the_layers(module):
    upward = upward_imports(module, GRAPH[module])
    assert not upward, (f"{module} (layer {LAYERS[layer(module)]}) imports higher layers: "
                        f"{[(t, LAYERS[layer(t)]) for t in upward]}")


def test_no_layer_imports_the_maintainers_tools():
    users = sorted(m for m, targets in GRAPH.items() if not m.startswith("reelib.devtools")
                   and any(t.startswith("reelib.devtools") for t in targets))
    assert not users, f"{users} import reelib.devtools, which only maintainers run"


def test_the_module_graph_has_no_cycle():
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(GRAPH[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_checker_sees_imports_inside_functions():
    """The parser must find an import hidden in a function body (how cycles hide)."""
    assert "reelib.processed.store" in GRAPH["reelib.present.report"]
    assert any("reelib.publish" in t for t in GRAPH["reelib.cli"])  # imported inside functions


@pytest.mark.parametrize("source, module, is_package, expected", [
    # a reader reaching up to the analysis layer, relatively, at the top of the module...
    ("from ..analysis import shares\n", "reelib.readers.usgs_mcs", False,
     "reelib.analysis.shares"),
    # ...inside a function, from a package's __init__, and with a bare "from .. import"
    ("def f():\n    from ..present.report import Report\n", "reelib.readers.usgs_mcs", False,
     "reelib.present.report"),
    ("from ..publish import specs\n", "reelib.processed", True, "reelib.publish.specs"),
    ("from .. import cli\n", "reelib.files.atomic", False, "reelib.cli"),
])
def test_an_injected_relative_upward_import_is_refused(source, module, is_package, expected):
    targets = imports_in(source, module, is_package)
    assert expected in targets
    assert expected in upward_imports(module, targets)


def test_relative_imports_within_a_layer_are_allowed():
    targets = imports_in("from .values import parse_value\nfrom . import decode\n",
                         "reelib.readers.usgs_mcs")
    assert targets == {"reelib.readers.values", "reelib.readers.decode"}
    assert not upward_imports("reelib.readers.usgs_mcs", targets)
