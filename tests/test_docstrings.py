"""The examples in reelib's docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import reelib

MODULES = [m.name for m in pkgutil.iter_modules(reelib.__path__, "reelib.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
