"""Writing an output file whole or not at all, and saying why a write failed.

Every file kpi-dashboard writes (a filled workbook, the results JSON, a template, the board pack)
goes through :func:`atomic_save`: a temporary file in the output's folder, flushed to disk, then
renamed over the output. After a crash or a kill the output is either the previous file or the
complete new one.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".~kpi-"
STALE_TEMP_SECONDS = 3600
SAME_AS_EXCEL = (
    "permission denied. If it is open in Excel, close it; otherwise check the folder's permissions"
)
WRITE_FAILURES = {
    errno.ENOSPC: "the disk is full. Free some space and fill again",
    errno.EACCES: SAME_AS_EXCEL,
    errno.EPERM: SAME_AS_EXCEL,
    errno.EROFS: "the folder is read-only. Choose another folder",
    errno.EISDIR: "there is a folder of that name. Choose another file name",
    errno.ENOTDIR: "part of the path is a file, not a folder. Check the path",
    errno.ENOENT: "the folder does not exist. Check the path, or create the folder",
    errno.EBUSY: "the file is in use. Close it in Excel and fill again",
}


def remove_stale_temps(folder: Path, max_age: float = STALE_TEMP_SECONDS) -> None:
    """Delete ``.~kpi-*`` files older than ``max_age`` seconds: left by a fill that was killed.

    Younger ones may belong to a fill still running (a batch writes many into one folder).
    """
    now = _dt.datetime.now().timestamp()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age
            if entry.is_file(follow_symlinks=False) and old:
                os.unlink(entry.path)
        except OSError:
            pass


def _new_file_mode(out: Path) -> int:
    """The permissions the output should get: the previous output's, else what the umask gives."""
    try:
        return os.stat(out).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_save(save: Callable[[str], object], out: Path) -> None:
    """Call ``save(temp_path)`` then move the temporary file over ``out``; nothing partial is left.

    The temporary file is flushed to disk before it replaces ``out``, so after a crash or a kill
    ``out`` is either the previous file or the complete new one. A kill (SIGKILL, power cut) can
    leave a ``.~kpi-*`` file behind; the next save into that folder removes it once an hour old.
    An ``OSError`` (disk full, permission denied, folder missing) names ``out`` and leaves it as
    it was.
    """
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=out.suffix, dir=folder)
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(out)) from err
    os.close(fd)
    try:
        save(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, _new_file_mode(out))
        os.replace(tmp, out)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError) and err.errno is not None:
            raise OSError(err.errno, err.strerror, str(out)) from err
        raise
    remove_stale_temps(folder)


def describe_write_failure(out: Path, err: OSError) -> str:
    """One line for an output that could not be written: which file, why, and what to do."""
    where = err.filename or out
    reason = WRITE_FAILURES.get(err.errno or 0) or (
        f"{err.strerror or err}. Close it in Excel, or choose another folder"
    )
    return f"cannot write {where}: {reason}; nothing was changed."
