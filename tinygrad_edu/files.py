"""Writing a file in one step: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(
    path: str | os.PathLike, data: str | bytes, *, make_folders: bool = False
) -> Path:
    """Replace the file at ``path`` with ``data`` (text as UTF-8, or bytes) and return the path.

    The data goes to a temporary file in the same folder, is forced to disk
    (``fsync``), and the temporary file is then renamed over ``path``.  A rename
    within one folder is atomic, so a crash, a full disk or a bad ``data`` leaves
    the old file exactly as it was, and no temporary file behind.

    The new file gets the mode any newly created file gets: 0o666 less the
    process's umask (0o644 with the usual umask 022).  With ``make_folders``,
    the missing folders on the way to ``path`` are made first.

    Raises:
        TypeError: ``data`` is neither ``str`` nor ``bytes``.
        IsADirectoryError: ``path`` is a folder, not a file name.
        NotADirectoryError: with ``make_folders``, a file stands where a folder
            on the way would be (nothing is changed).
        OSError: the folder is missing or not writable (nothing is changed); the
            message names ``path``, not the temporary file.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes):
        raise TypeError(f"write_atomically writes str or bytes, got {type(data).__name__}")
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{os.fspath(path)!r} is a folder: give a file name in it")
    if make_folders:
        for folder in reversed(path.parents):
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(f"cannot write {os.fspath(path)!r}: {folder} is a file")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        temporary, handle = _create_beside(path)
    except OSError as error:  # say it of the user's path, not of the temporary file's name
        message = f"cannot write {os.fspath(path)!r}: {error.strerror}"
        raise type(error)(error.errno, message) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _create_beside(path: Path) -> tuple[Path, int]:
    """A new, empty, hidden file next to ``path``, opened for writing: (its path, its descriptor).

    ``os.open`` with mode 0o666 lets the umask decide the permissions, as
    ``open()`` does; ``O_EXCL`` makes sure the name was not taken.
    """
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return temporary, os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
