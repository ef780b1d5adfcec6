"""Opening a file without waiting forever or reading without end: the one way every path is read.

Deployment files, `env_file` targets, SQLite's database and `-wal`/`-shm`/`-journal`, `--config`
and `--baseline` all come through `check_regular`, `open_regular` or `read_regular`. A FIFO blocks `open()` until a
writer comes, `/dev/zero` never ends and a socket cannot be read at all, so anything that is not a
regular file is refused from its `stat` (symbolic links followed), before it is opened; the open
itself is non-blocking and checked again with `fstat`, so a file swapped for a FIFO in between
cannot block either.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegularFile(Exception):
    """The path is a directory, FIFO, socket or device: never opened."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is {kind}, not a regular file: not read")
        self.kind = kind


class TooLarge(Exception):
    """The file is over the size limit (or grew over it while read)."""

    def __init__(self, size: int | None, limit: int) -> None:
        grew = size is None
        super().__init__(f"file grew over the {limit}-byte limit while read: not read" if grew
                         else f"file is {size} bytes, over the {limit}-byte limit: not read")
        self.size, self.limit = size, limit


def kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def check_regular(path: str) -> os.stat_result:
    """The file's stat (symbolic links followed); NotRegularFile for anything but a regular file.
    OSError (FileNotFoundError, PermissionError, ...) passes through."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(kind(info.st_mode))
    return info


def open_regular(path: str) -> BinaryIO:
    """A regular file opened for reading; NotRegularFile (before any open that could block) or OSError."""
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    handle = os.fdopen(os.open(path, flags), "rb")
    mode = os.fstat(handle.fileno()).st_mode
    if not stat.S_ISREG(mode):  # replaced between stat and open
        handle.close()
        raise NotRegularFile(kind(mode))
    return handle


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; NotRegularFile, TooLarge or OSError."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(None, limit)
    return data


class Unreadable(Exception):
    """Why a small file of ours (a configuration, a baseline) cannot be read, in one line: `missing`
    when it does not exist, `refused` when the reason says it all (a FIFO, too large)."""

    def __init__(self, reason: str, *, missing: bool = False, refused: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing
        self.refused = refused


def read_text(path: str, limit: int) -> str:
    """A small UTF-8 file's text; Unreadable for anything else, never an OSError or a decoding error."""
    try:
        return read_regular(path, limit).decode("utf-8")
    except FileNotFoundError:
        raise Unreadable("not found", missing=True) from None
    except (NotRegularFile, TooLarge) as exc:
        raise Unreadable(str(exc), refused=True) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(getattr(exc, "strerror", None) or exc.__class__.__name__) from None


def same_as_any(target: str, paths: Iterable[str]) -> bool:
    """Whether `target` names one of `paths`: same resolved path, or same device and inode (hard
    links, bind mounts); symbolic links followed. A target that does not exist yet can only match
    by its resolved path."""
    resolved = os.path.realpath(target)
    try:
        info = os.stat(target)
        identity: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:
        identity = None
    for path in paths:
        if os.path.realpath(path) == resolved:
            return True
        if identity is not None:
            try:
                other = os.stat(path)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == identity:
                return True
    return False
