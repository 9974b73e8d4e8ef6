"""environment.yml and requirements.lock agree: a conda user gets the pip versions."""

import yaml

from reelib import config
from reelib.devtools import environment


def test_environment_yml_is_generated_from_the_lock():
    committed = (config.PROJECT_ROOT / "environment.yml").read_text()
    assert committed == environment.render(), "run `make environment` after `make lock`"


def test_every_direct_dependency_is_pinned_to_the_locked_version():
    doc = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text())
    pins = dict(d.split("==") for d in doc["dependencies"] if isinstance(d, str) and "==" in d)
    locked = environment.locked_versions()
    for name in environment.direct_dependencies():
        conda = environment.CONDA_NAMES.get(name, name)
        assert pins.get(conda) == locked[name], name
    assert "jupyterlab" not in pins  # kept out of the build environment, as in .venv


def test_lock_markers_are_read_for_linux_cpython_311(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("pandas==3.1.1\nappnope==1.0 ; sys_platform == 'darwin'\n"
                    "aiohttp==3.1 ; python_full_version == '3.12.*'\n    # via x\n")
    assert environment.locked_versions(lock) == {"pandas": "3.1.1"}
