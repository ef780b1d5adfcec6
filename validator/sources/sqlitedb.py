"""Open WebUI's SQLite database (`DATA_DIR/webui.db`), read without changing a byte of it.

The database may belong to a running server: it is then in WAL mode, with `webui.db-wal` holding
the latest commits and `webui.db-shm` indexing them. How each state is opened (measured with
SQLite 3.40; see NOTES and tests/sources/test_sqlitedb.py, which hash all three files):
- rollback journal: `mode=ro`. A reader only takes a shared lock.
- WAL, with `-wal` and `-shm`: `mode=ro&readonly_shm=1`. Plain `mode=ro` writes read marks into
  `-shm`, so its bytes change; with `readonly_shm` SQLite reads the index without writing it (or
  builds it in private memory when it is stale) and still sees the commits in `-wal`.
- WAL, no `-wal`: `mode=ro&immutable=1`. With no `-wal`, every commit is in the main file, and this
  is the only way that creates no `-wal`/`-shm` (`mode=ro` creates both, even read-only). With a
  `-wal`, `immutable=1` would be wrong: it ignores the WAL and reads settings that are out of date.
- WAL, `-wal` but no `-shm` (a copy, or a crash that lost `-shm`): no server can be using it, and
  SQLite cannot read the WAL without creating `-shm`, so the two files are copied into a private
  temporary directory and read there.
`PRAGMA query_only` closes the connection to any write on top of that.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import tempfile
from urllib.parse import quote

from validator.location import Location
from validator.sources import storedconfig
from validator.sources.discover import SQLITE_MAGIC
from validator.sources.files import unreadable
from validator.sources.model import ParsedFile, Setting

# How long to wait for a writer holding an exclusive lock (rollback-journal mode only).
BUSY_TIMEOUT_SECONDS = 2.0
_HEADER_BYTES = 100
_WAL_VERSION = 2


def read_database(path: str) -> ParsedFile:
    return storedconfig.parsed(path, "sqlite", lambda: _read(path))


def _read(path: str) -> Setting | None:
    here = Location(path)
    header = _header(path, here)
    wal_mode = len(header) > 18 and header[18] == _WAL_VERSION
    wal, shm = os.path.exists(path + "-wal"), os.path.exists(path + "-shm")
    if wal_mode and wal and not shm:
        with tempfile.TemporaryDirectory(prefix="owui-validate-") as private:
            copy = os.path.join(private, "webui.db")
            shutil.copyfile(path, copy)
            shutil.copyfile(path + "-wal", copy + "-wal")
            return _query(copy, "mode=ro", here)
    if not wal_mode:
        parameters = "mode=ro"
    elif wal:
        parameters = "mode=ro&readonly_shm=1"
    else:
        parameters = "mode=ro&immutable=1"
    return _query(path, parameters, here)


def _header(path: str, here: Location) -> bytes:
    """The first bytes of the file, checked to be SQLite's: nothing else is handed to SQLite."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise unreadable(here, "is a directory, not a database file")
        if not stat.S_ISREG(info.st_mode):
            raise unreadable(here, "not a regular file (FIFO, socket or device): not read")
        with open(path, "rb") as handle:
            header = handle.read(_HEADER_BYTES)
    except FileNotFoundError:
        raise unreadable(here, "file not found (or a broken symbolic link)") from None
    except OSError as exc:
        raise unreadable(here, f"cannot read: {exc.strerror}") from None
    if header and not header.startswith(SQLITE_MAGIC):
        raise unreadable(here, "not an SQLite database (no `SQLite format 3` header): not read")
    return header


def _query(path: str, parameters: str, here: Location) -> Setting | None:
    uri = f"file:{quote(os.path.abspath(path))}?{parameters}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise unreadable(here, f"cannot open as an SQLite database: {exc}") from None
    try:
        connection.execute("PRAGMA query_only = ON")
        columns = {str(row[1]) for row in connection.execute("PRAGMA table_info(config)")}
        return storedconfig.read_table(columns, lambda sql: connection.execute(sql).fetchall(), here)
    except sqlite3.Error as exc:
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
