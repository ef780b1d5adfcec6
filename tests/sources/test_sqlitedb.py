"""webui.db read strictly read-only: both layouts, WAL as a running server leaves it, locks, a
read-only file, broken files; the database and its -wal/-shm stay byte-identical.

The reader runs as a separate process (the CLI) whenever another connection is involved: SQLite
shares locks and the WAL index between connections of one process, which is not what happens
between Open WebUI and this tool.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import blob, fill, hashes, run_cli, unprivileged

from validator.sources import sqlitedb
from validator.sources.storedconfig import NO_CONFIG_TABLE

OW102 = "webui.db:1:1: OW102 error config[auth.jwt_expiry]='1mo' is read as 1 minute: Open WebUI ignores 'o'; use `4w`"

# Another process using the database the way Open WebUI does: connect, run statements, then
# either stay (holding the connection and any open transaction) until told to go, or die
# without closing, which leaves -wal and -shm behind as a killed server does.
WRITER = r"""
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA wal_autocheckpoint = 0")
for statement in sys.argv[3:]:
    connection.execute(statement)
if sys.argv[2] == "crash":
    os._exit(0)
print("ready", flush=True)
sys.stdin.readline()
"""


def make(path: Path, value: str = '"4w"', *, wal: bool = False, layout: str = "per-key") -> Path:
    connection = sqlite3.connect(path, isolation_level=None)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    fill(connection, "sqlite", layout, [value] if layout == "per-key" else [(1, blob(value))])
    connection.close()
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture
def writer() -> Iterator:
    """writer(path, *statements): a live process holding the database after running them."""
    started: list[subprocess.Popen[str]] = []

    def start(path: Path, *statements: str) -> subprocess.Popen[str]:
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "hold", *statements],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        return process

    yield start
    for process in started:
        process.communicate("exit\n", timeout=30)


def crash(path: Path, *statements: str) -> None:
    subprocess.run([sys.executable, "-c", WRITER, str(path), "crash", *statements], check=True, timeout=30)


def check(tmp_path: Path, *, prefix: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    result = run_cli("check", "-q", "webui.db", cwd=tmp_path, prefix=prefix)
    assert result.stderr == ""
    return result.returncode, result.stdout.splitlines()


def files(tmp_path: Path) -> list[str]:
    return sorted(os.listdir(tmp_path))


# --- layouts -------------------------------------------------------------------------------------


def test_per_key_layout_of_0_12(tmp_path: Path) -> None:
    make(tmp_path / "webui.db", '"1mo"')
    assert check(tmp_path) == (1, [OW102])


def test_blob_layout_highest_id_wins(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    fill(connection, "sqlite", "blob", [(1, blob("52w")), (3, blob("1mo")), (2, blob("3600"))])
    connection.commit()
    connection.close()
    assert check(tmp_path) == (1, [OW102])


@pytest.mark.parametrize(("layout", "rows"), [("per-key", []), ("blob", [(1, '{"version": 0, "ui": {}}')]),
                                              ("blob", [(1, blob(None))]), ("blob", [])])
def test_no_stored_lifetime_is_no_finding(tmp_path: Path, layout: str, rows: list[object]) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    fill(connection, "sqlite", layout, rows)
    connection.commit()
    connection.close()
    parsed = sqlitedb.read_database(str(tmp_path / "webui.db"))
    assert (parsed.findings, parsed.deployments[0].settings) == ([], {})
    assert check(tmp_path) == (0, [])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("null", "webui.db:1:1: OW101 error config[auth.jwt_expiry] is stored as JSON null, not a string: Open WebUI's "
                 "parse_duration fails on it (TypeError), so every sign-up and sign-in fails with HTTP 500; save a "
                 "lifetime such as `4w` in Admin Panel > Settings > General > JWT Expiration"),
        ("4w", "webui.db:1:1: OW001 error config[auth.jwt_expiry] is not valid JSON (Extra data at character 2): "
               "Open WebUI cannot read it either"),
        ('"0"', "webui.db:1:1: OW103 warning config[auth.jwt_expiry]='0': tokens never expire (`0` is Open WebUI's "
                "special value for no expiry); a leaked token stays valid until the key is rotated"),
    ],
)
def test_stored_values(tmp_path: Path, value: str, expected: str) -> None:
    make(tmp_path / "webui.db", value)
    assert check(tmp_path) == (1, [expected])


def test_unknown_config_layout(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    connection.execute("CREATE TABLE config (name TEXT, setting TEXT)")
    connection.commit()
    connection.close()
    assert check(tmp_path) == (1, ["webui.db:1:1: OW001 error the `config` table has columns name, setting, neither of "
                                   "Open WebUI's layouts (key/value, or id/data): not checked"])


# --- broken and foreign files --------------------------------------------------------------------


def test_database_without_config_table_is_reported(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    connection.execute("CREATE TABLE chat (id TEXT)")
    connection.commit()
    connection.close()
    assert check(tmp_path) == (1, [f"webui.db:1:1: OW001 error {NO_CONFIG_TABLE}"])


def test_empty_file_is_no_config_table_and_stays_alone(tmp_path: Path) -> None:
    (tmp_path / "webui.db").write_bytes(b"")
    assert check(tmp_path) == (1, [f"webui.db:1:1: OW001 error {NO_CONFIG_TABLE}"])
    assert files(tmp_path) == ["webui.db"]


def test_corrupted_database_is_ow001_without_traceback(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db")
    data = bytearray(path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)
    path.write_bytes(bytes(data))
    before = hashes(path)
    code, output = check(tmp_path)
    assert (code, output) == (1, ["webui.db:1:1: OW001 error cannot read as an SQLite database: "
                                  "database disk image is malformed"])
    assert hashes(path) == before


def test_not_an_sqlite_file(tmp_path: Path) -> None:
    (tmp_path / "webui.db").write_bytes(b"PK\x03\x04 not a database" * 10)
    assert check(tmp_path) == (1, ["webui.db:1:1: OW001 error not an SQLite database (no `SQLite format 3` header): "
                                   "not read"])


def test_any_name_given_explicitly_is_recognised_by_its_header(tmp_path: Path) -> None:
    make(tmp_path / "webui.db", '"1mo"')
    (tmp_path / "webui.db").rename(tmp_path / "backup-2024")
    result = run_cli("check", "-q", "backup-2024", cwd=tmp_path)
    assert result.stdout.splitlines() == [OW102.replace("webui.db", "backup-2024")]


# --- WAL, as a running Open WebUI leaves it --------------------------------------------------------


def test_wal_with_live_writer_reads_the_latest_commit_and_changes_nothing(tmp_path: Path, writer) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    writer(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    before = hashes(path)
    assert before["-wal"] is not None and before["-shm"] is not None
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before
    assert files(tmp_path) == ["webui.db", "webui.db-shm", "webui.db-wal"]


def test_wal_with_open_write_transaction_reads_the_committed_value(tmp_path: Path, writer) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    writer(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'", "BEGIN IMMEDIATE",
           "UPDATE config SET value = '\"-5m\"' WHERE key = 'auth.jwt_expiry'")
    before = hashes(path)
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before


def test_wal_left_by_a_killed_server(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    crash(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    assert files(tmp_path) == ["webui.db", "webui.db-shm", "webui.db-wal"]
    before = hashes(path)
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before


def test_wal_without_shm_is_read_from_a_private_copy(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    crash(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    Path(f"{path}-shm").unlink()
    before = hashes(path)
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before
    assert files(tmp_path) == ["webui.db", "webui.db-wal"]


def test_wal_mode_after_clean_shutdown_creates_no_wal_or_shm(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", '"1mo"', wal=True)
    before = hashes(path)
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before
    assert files(tmp_path) == ["webui.db"]


# --- locks and permissions ------------------------------------------------------------------------


def test_rollback_journal_with_reserved_lock_held(tmp_path: Path, writer) -> None:
    path = make(tmp_path / "webui.db", '"1mo"')
    writer(path, "BEGIN IMMEDIATE", "UPDATE config SET value = '\"-5m\"' WHERE key = 'auth.jwt_expiry'")
    before = hashes(path)
    assert check(tmp_path) == (1, [OW102])
    assert hashes(path) == before


def test_exclusive_lock_held_is_reported_after_the_busy_timeout(tmp_path: Path, writer, monkeypatch) -> None:
    path = make(tmp_path / "webui.db", '"1mo"')
    writer(path, "BEGIN EXCLUSIVE")
    monkeypatch.setattr(sqlitedb, "BUSY_TIMEOUT_SECONDS", 0.2)
    (finding,) = sqlitedb.read_database(str(path)).findings
    assert (finding.code, finding.message) == ("OW001", "database is locked: another process holds an exclusive lock "
                                               "for more than 0.2 s (a write in progress); try again")


def test_hot_journal_of_an_interrupted_write_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", '"1mo"')
    connection = sqlite3.connect(path)
    connection.executemany("INSERT INTO config (key, value) VALUES (?, '0')", [(f"k{n}",) for n in range(2000)])
    connection.commit()
    connection.close()
    crash(path, "PRAGMA cache_size = 1", "BEGIN", "UPDATE config SET value = '\"2h\"'")
    assert files(tmp_path) == ["webui.db", "webui.db-journal"]
    before = hashes(path)
    assert check(tmp_path) == (1, ["webui.db:1:1: OW001 error an interrupted write left a hot journal (-journal) that "
                                   "only a writable connection can roll back: start Open WebUI (or open the file with "
                                   "sqlite3) once, then check again"])
    assert hashes(path) == before


@pytest.mark.parametrize("state", ["rollback", "wal-left-behind"])
def test_read_only_file_in_read_only_directory(tmp_path: Path, state: str) -> None:
    path = make(tmp_path / "webui.db", '"4w"' if state != "rollback" else '"1mo"', wal=state != "rollback")
    if state != "rollback":
        crash(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    for name in files(tmp_path):
        (tmp_path / name).chmod(0o444)
    tmp_path.chmod(0o555)
    prefix = unprivileged()
    try:
        # The setting is real: in this mode the file cannot be opened for writing.
        probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(path)!r}, 'r+b')"], capture_output=True, text=True)
        assert "PermissionError" in probe.stderr
        before = hashes(path)
        assert check(tmp_path, prefix=prefix) == (1, [OW102])
        assert hashes(path) == before
    finally:
        tmp_path.chmod(0o755)


# --- races, special side files and endless queries (issue 11) ------------------------------------


def test_server_closing_between_our_look_and_the_read_leaves_no_wal_behind(tmp_path: Path, monkeypatch) -> None:
    """The last connection of the server closes (checkpoint, -wal and -shm deleted) right after the
    side files were looked at: nothing may create an empty -wal, and the latest commit is still read."""
    path = make(tmp_path / "webui.db", wal=True)
    crash(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    looked = sqlitedb._side_file

    def then_the_server_closes(side: str, here):  # type: ignore[no-untyped-def]
        size = looked(side, here)
        if side.endswith("-journal"):  # the last of the three looks
            closing = f"import sqlite3; c = sqlite3.connect({str(path)!r}); c.execute('SELECT * FROM config'); c.close()"
            subprocess.run([sys.executable, "-c", closing], check=True)
            assert files(tmp_path) == ["webui.db"]
        return size

    monkeypatch.setattr(sqlitedb, "_side_file", then_the_server_closes)
    parsed = sqlitedb.read_database(str(path))
    assert parsed.findings == [] and parsed.deployments[0].settings["JWT_EXPIRES_IN"].value == "1mo"
    assert files(tmp_path) == ["webui.db"]


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_fifo_side_file_is_refused_before_sqlite_opens_anything(tmp_path: Path, suffix: str) -> None:
    path = make(tmp_path / "webui.db", wal=suffix != "-journal")
    os.mkfifo(f"{path}{suffix}")
    code, lines = check(tmp_path)  # a blocked open would hit run_cli's timeout
    assert (code, lines) == (1, [f"webui.db:1:1: OW001 error webui.db{suffix} is a FIFO, not a regular file: not "
                                 "read; SQLite would open it: database not read"])


def test_a_wal_linked_to_dev_zero_is_not_copied(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    Path(f"{path}-wal").symlink_to("/dev/zero")
    assert check(tmp_path) == (1, ["webui.db:1:1: OW001 error webui.db-wal is a character device, not a regular "
                                   "file: not read; SQLite would open it: database not read"])


def test_a_wal_over_the_database_limit_is_not_copied(tmp_path: Path) -> None:
    path = make(tmp_path / "webui.db", wal=True)
    with open(f"{path}-wal", "wb") as wal:
        wal.truncate(sqlitedb.MAX_DATABASE_BYTES + 1)  # sparse: costs no disk
    (finding,) = sqlitedb.read_database(str(path)).findings
    assert finding.message == (f"webui.db-wal is {sqlitedb.MAX_DATABASE_BYTES + 1} bytes, over the "
                               f"{sqlitedb.MAX_DATABASE_BYTES}-byte limit: database not read")


def test_an_endless_recursive_config_view_is_stopped_at_the_deadline(tmp_path: Path, monkeypatch) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    connection.execute("CREATE VIEW config AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                       "SELECT 'k' || i AS key, '\"4w\"' AS value FROM n")  # rows without end, none the key
    connection.close()
    monkeypatch.setattr(sqlitedb, "QUERY_SECONDS", 0.5)
    (finding,) = sqlitedb.read_database(str(tmp_path / "webui.db")).findings
    assert (finding.code, finding.message) == ("OW001", "reading the `config` table took more than 0.5 s "
                                               "(a view over an endless query?): stopped")


def test_json_nested_100k_deep_is_a_finding(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "webui.db")
    fill(connection, "sqlite", "blob", [(1, "[" * 100_000 + "]" * 100_000)])
    connection.commit()
    connection.close()
    assert check(tmp_path) == (1, ["webui.db:1:1: OW001 error the `config` row with the highest id is JSON nested "
                                   "too deeply to read: not checked"])


def test_a_stored_value_over_the_file_size_limit_is_not_parsed(tmp_path: Path) -> None:
    make(tmp_path / "webui.db", '"' + "1" * 10_000_000 + 'w"')
    result = run_cli("check", "-q", "webui.db", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "webui.db:1:1: OW001 error config[auth.jwt_expiry] is 10000003 "
                                                  "characters, over the 5242880-byte file-size limit: not read\n")
