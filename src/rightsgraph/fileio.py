"""Writing files and folders so that a reader sees the old version or the new one, never a part.

Every file the package writes for others to read (review files, graph/ files, anchors, exports, the
label index) goes through :func:`atomic_writer` or :func:`atomic_write`; a new store and its exports
are made in a :func:`staging` folder beside their final place and put there with :func:`swap`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: int = 0o644) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path`` for writing bytes; on success it replaces ``path``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_writer(target) as out:
    ...     _ = out.write(b"new")
    >>> target.read_bytes()
    b'new'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write text (UTF-8, ``\\n`` line ends) or bytes to ``path`` atomically; return the path."""
    with atomic_writer(path) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def swap(new: str | os.PathLike, final: str | os.PathLike) -> None:
    """Put the folder or file ``new`` in the place of ``final``, removing what was there."""
    new, final = Path(new), Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        old.unlink()


@contextlib.contextmanager
def staging(beside: str | os.PathLike) -> Iterator[Path]:
    """A fresh folder next to ``beside`` (same file system, so :func:`swap` is a rename), removed afterwards."""
    beside = Path(beside)
    folder = beside.parent / f".staging-{beside.name}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def move_into(files: dict[str, Path], folder: str | os.PathLike) -> dict[str, Path]:
    """Move each staged file into ``folder`` under its own name (a rename each); return key -> final path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    moved = {}
    for key, path in files.items():
        final = folder / Path(path).name
        os.replace(path, final)
        moved[key] = final
    return moved
