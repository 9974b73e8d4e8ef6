"""The examples in reelib's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import reelib

MODULES = sorted(m.name for m in pkgutil.walk_packages(reelib.__path__, "reelib.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"

