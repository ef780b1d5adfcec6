"""Open WebUI's SQLite database (`DATA_DIR/webui.db`), read without changing a byte of it.

The database may belong to a running server: it is then in WAL mode, with `webui.db-wal` holding
the latest commits and `webui.db-shm` indexing them. How each state is opened (measured with
SQLite 3.40; see NOTES and tests/sources/test_sqlitedb.py, which hash all three files):
- rollback journal: `mode=ro`. A reader only takes a shared lock.
- WAL, no `-wal`: `mode=ro&immutable=1`. With no `-wal`, every commit is in the main file, and this
  is the only way that creates no `-wal`/`-shm` (`mode=ro` creates both, even read-only). A server
  that starts in between writes its commits to a new `-wal`: the read is then the state before them.
- WAL, with a `-wal`: the database and its `-wal` are copied (WAL first, so a checkpoint during the
  copy only writes pages the copied WAL already holds) into a private temporary directory and read
  there. On the live files, even `mode=ro&readonly_shm=1` creates an empty `-wal` when the server's
  last connection closes (and deletes both files) between our look and SQLite's open, and leaves it
  behind; a copy cannot race. The copy is refused over MAX_DATABASE_BYTES, so no temporary file is
  larger than that.
Every side file is looked at before SQLite opens anything: a `-wal`, `-shm` or `-journal` that is a
FIFO, a device or larger than the limit is refused (SQLite would block on a FIFO, and copy
`/dev/zero` until the disk is full). Queries run under a progress-handler deadline
(QUERY_SECONDS): a `config` view over an endless recursive query ends as one OW001.
`PRAGMA query_only` closes the connection to any write on top of that.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from urllib.parse import quote

from validator import fileio
from validator.location import Location
from validator.sources import storedconfig
from validator.sources.discover import SQLITE_MAGIC
from validator.sources.files import DEFAULT_MAX_BYTES, unreadable
from validator.sources.model import ParsedFile, Setting

# How long to wait for a writer holding an exclusive lock (rollback-journal mode only).
BUSY_TIMEOUT_SECONDS = 2.0
# How long the queries of one database may run (a view can hide an endless recursive query).
QUERY_SECONDS = 5.0
# The progress handler runs every this many SQLite virtual-machine instructions (about 1 ms).
_PROGRESS_STEPS = 10_000
# The largest database (with its -wal) copied for a read, and the largest -wal/-shm/-journal.
MAX_DATABASE_BYTES = 1024**3
SIDE_FILES = ("-wal", "-shm", "-journal")
_HEADER_BYTES = 100
_WAL_VERSION = 2
_COPY_CHUNK = 1024 * 1024


def read_database(path: str, max_value_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """The stored setting of one webui.db; a stored value over `max_value_bytes` is OW001, unparsed."""
    return storedconfig.parsed(path, "sqlite", lambda: _read(path, max_value_bytes))


def _read(path: str, max_value_bytes: int) -> Setting | None:
    here = Location(path)
    header, size = _header(path, here)
    side = {suffix: _side_file(path + suffix, here) for suffix in SIDE_FILES}
    wal_mode = len(header) > 18 and header[18] == _WAL_VERSION
    if not wal_mode:
        return _query(path, "mode=ro", here, max_value_bytes)
    if side["-wal"] is None:
        return _query(path, "mode=ro&immutable=1", here, max_value_bytes)
    if size + side["-wal"] > MAX_DATABASE_BYTES:
        raise unreadable(here, f"the database and its -wal are {size + side['-wal']} bytes, over the "
                         f"{MAX_DATABASE_BYTES}-byte limit of the private copy a WAL database is read from: not read")
    with tempfile.TemporaryDirectory(prefix="owui-validate-") as private:
        copy = os.path.join(private, "webui.db")
        try:
            copied = _copy(path + "-wal", copy + "-wal", here, MAX_DATABASE_BYTES)  # the WAL first: see above
        except FileNotFoundError:
            # The server's last connection closed since we looked: every commit is in the main file now.
            return _query(path, "mode=ro&immutable=1", here, max_value_bytes)
        try:
            _copy(path, copy, here, MAX_DATABASE_BYTES - copied)
        except FileNotFoundError:
            raise unreadable(here, "file not found (deleted while read)") from None
        return _query(copy, "mode=ro", here, max_value_bytes)


def _header(path: str, here: Location) -> tuple[bytes, int]:
    """The first bytes of the file, checked to be SQLite's (nothing else is handed to SQLite), and its size."""
    try:
        with fileio.open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            header = handle.read(_HEADER_BYTES)
    except FileNotFoundError:
        raise unreadable(here, "file not found (or a broken symbolic link)") from None
    except fileio.NotRegularFile as exc:
        raise unreadable(here, str(exc)) from None
    except OSError as exc:
        raise unreadable(here, f"cannot read: {exc.strerror}") from None
    if header and not header.startswith(SQLITE_MAGIC):
        raise unreadable(here, "not an SQLite database (no `SQLite format 3` header): not read")
    return header, size


def _side_file(path: str, here: Location) -> int | None:
    """The size of a `-wal`, `-shm` or `-journal`, None when there is none; OW001 for one that is
    not a regular file or is over the limit, before SQLite could open it."""
    name = os.path.basename(path)
    try:
        size = fileio.check_regular(path).st_size
    except FileNotFoundError:
        return None
    except fileio.NotRegularFile as exc:
        raise unreadable(here, f"{name} {exc}; SQLite would open it: database not read") from None
    except OSError as exc:
        raise unreadable(here, f"{name}: cannot read: {exc.strerror}") from None
    if size > MAX_DATABASE_BYTES:
        raise unreadable(here, f"{name} is {size} bytes, over the {MAX_DATABASE_BYTES}-byte limit: database not read")
    return size


def _copy(source: str, target: str, here: Location, budget: int) -> int:
    """Copy a regular file of at most `budget` bytes (it may grow while copied: stopped there); its size.
    FileNotFoundError when the source is gone."""
    name = os.path.basename(source)
    copied = 0
    try:
        with fileio.open_regular(source) as reader, open(target, "wb") as writer:
            while chunk := reader.read(_COPY_CHUNK):
                copied += len(chunk)
                if copied > budget:
                    raise unreadable(here, f"{name} grew over the {MAX_DATABASE_BYTES}-byte limit while copied: not read")
                writer.write(chunk)
    except fileio.NotRegularFile as exc:
        raise unreadable(here, f"{name} {exc}: database not read") from None
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise unreadable(here, f"{name}: cannot copy: {exc.strerror}") from None
    return copied


def _query(path: str, parameters: str, here: Location, max_value_bytes: int) -> Setting | None:
    uri = f"file:{quote(os.path.abspath(path))}?{parameters}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise unreadable(here, f"cannot open as an SQLite database: {exc}") from None
    deadline = time.monotonic() + QUERY_SECONDS
    connection.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
    try:
        connection.execute("PRAGMA query_only = ON")
        columns = {str(row[1]) for row in connection.execute("PRAGMA table_info(config)")}
        return storedconfig.read_table(columns, lambda sql: connection.execute(sql).fetchall(), here, max_value_bytes)
    except sqlite3.Error as exc:
        if time.monotonic() > deadline:
            raise unreadable(here, f"reading the `config` table took more than {QUERY_SECONDS:g} s "
                             "(a view over an endless query?): stopped") from None
        raise unreadable(here, _explain(exc)) from None
    finally:
        connection.close()


def _explain(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "")  # Python 3.11+
    if name.startswith("SQLITE_BUSY") or str(exc) == "database is locked":
        return (f"database is locked: another process holds an exclusive lock for more than {BUSY_TIMEOUT_SECONDS:g} s "
                "(a write in progress); try again")
    if name.startswith("SQLITE_READONLY_ROLLBACK"):
        return ("an interrupted write left a hot journal (-journal) that only a writable connection can roll back: "
                "start Open WebUI (or open the file with sqlite3) once, then check again")
    return f"cannot read as an SQLite database: {exc}"
