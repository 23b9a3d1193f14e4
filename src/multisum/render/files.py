"""Writing output files: whole or not at all, with the permissions the user's umask asks for."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from multisum.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or those of a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def write_atomically(path: str | Path, text: str | bytes) -> None:
    """Write ``text`` (bytes as they are, a string as UTF-8) through a temporary file, fsync it
    and rename it over ``path``.

    A reader never sees half a file, a crash leaves the old file or the new one, the temporary file
    is removed on any error, and the file gets the mode a new file would (0666 less the umask),
    not the 0600 that temporary files start with. Replacing a file keeps what ``>`` would keep:
    its permissions, and a symbolic link (the file it points to is replaced, not the link).

    Anything that is not a regular file (``/dev/null``, ``/dev/stdout`` into a pipe, a named
    pipe) is written to directly: renaming over it would replace a device node with a file, and
    ``/dev/stdout`` does not resolve to a path a file could be made next to.
    """
    target = Path(path)
    if _is_special(target):
        _write_directly(target, text)
        return
    if target.is_symlink():
        target = target.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(text if isinstance(text, bytes) else text.encode("utf-8"))
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, _mode_for(target))
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None


def _is_special(target: Path) -> bool:
    """Whether ``target`` exists (through any links) and is not a regular file or a folder."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_directly(target: Path, text: str | bytes) -> None:
    """Write to a device, pipe or socket as ``>`` would: opened, written, closed."""
    try:
        with open(target, "wb") as file:
            file.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from None
