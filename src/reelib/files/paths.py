"""Names and paths that may not escape their folder.

Report names, notebook names, source ids and registered file names become paths under
``reports/``, ``notebooks/`` and ``data/raw/``. ``check_name`` refuses anything but a
plain name (no separators, no ``..``, not absolute); ``ensure_inside`` refuses a path
whose real location (symlinks resolved) is outside its folder; ``remove_inside`` deletes
only within its folder and never follows a symlink out of it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from reelib.exceptions import UnsafePathError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,149}$")


def check_name(name: object, what: str = "name") -> str:
    """Return ``name`` if it is a plain file or folder name; raise ``UnsafePathError``.

    >>> check_name("prices-nd")
    'prices-nd'
    """
    text = str(name) if isinstance(name, str) else None
    if text is None or not _NAME.fullmatch(text) or ".." in text:
        raise UnsafePathError(
            f"{what} {name!r} is not a plain name: use letters, digits, '-', '_' and '.', "
            "starting with a letter or digit, with no '/', '\\\\' or '..'")
    return text


def ensure_inside(path: Path, root: Path, what: str = "path") -> Path:
    """Return ``path`` (resolved) if it lies inside ``root``; raise ``UnsafePathError``.

    Symlinks are resolved first, so a link inside ``root`` that points out is refused.
    """
    real_root = Path(root).resolve()
    real = Path(path).resolve()
    if real != real_root and real_root not in real.parents:
        raise UnsafePathError(f"{what} {path} resolves to {real}, outside {real_root}")
    return real


def remove_inside(path: Path, root: Path) -> None:
    """Delete ``path`` (a file, a folder tree, or a symlink itself) if it is inside ``root``.

    A symlink is unlinked, never followed; a missing path is fine.
    """
    path = Path(path)
    if path.is_symlink():
        ensure_inside(path.parent, root, "link folder")
        path.unlink()
        return
    if not path.exists():
        return
    ensure_inside(path, root)
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns False when the platform or file system cannot (the caller then falls back to
    two renames and a recovery step).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
