"""The examples in reelib's docstrings run and give what they show.

Only modules whose text holds an example (``>>>``) are imported, found by reading the
source, so a module with start-up work (``publish.warm`` imports the whole stack and draws
a figure) is never imported just to find it has nothing to test.
"""

import doctest
import importlib
from pathlib import Path

import pytest

import reelib

PACKAGE = Path(reelib.__file__).resolve().parent


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


WITH_EXAMPLES = sorted(_module(p) for p in PACKAGE.rglob("*.py")
                       if "__pycache__" not in p.parts and ">>> " in p.read_text("utf-8"))


def test_modules_with_examples_are_found():
    assert "reelib.present.numbers" in WITH_EXAMPLES
    assert "reelib.publish.warm" not in WITH_EXAMPLES  # start-up side effects, no examples


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has '>>> ' in its text but no docstring example"
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
