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
from tests.conftest import blob, fill, hashes, run_cli

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
        ("null", "webui.db:1:1: OW101 error config[auth.jwt_expiry] is stored as JSON null, not a string: every "
                 "sign-in fails with HTTP 500; save a lifetime such as `4w` in the Admin Panel"),
        ("4w", "webui.db:1:1: OW001 error config[auth.jwt_expiry] is not valid JSON (Extra data at character 2): "
               "Open WebUI cannot read it either"),
        ('"0"', "webui.db:1:1: OW103 warning config[auth.jwt_expiry]='0': tokens never expire; a leaked token stays "
                "valid until the key is rotated"),
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
    assert (finding.code, finding.full_message) == ("OW001", "database is locked: another process holds an exclusive lock "
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


def _unprivileged() -> tuple[str, ...]:
    """A command prefix under which mode bits bind: root without CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a 0444 file stays writable for root")
    return (setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search")


@pytest.mark.parametrize("state", ["rollback", "wal-left-behind"])
def test_read_only_file_in_read_only_directory(tmp_path: Path, state: str) -> None:
    path = make(tmp_path / "webui.db", '"4w"' if state != "rollback" else '"1mo"', wal=state != "rollback")
    if state != "rollback":
        crash(path, "UPDATE config SET value = '\"1mo\"' WHERE key = 'auth.jwt_expiry'")
    for name in files(tmp_path):
        (tmp_path / name).chmod(0o444)
    tmp_path.chmod(0o555)
    prefix = _unprivileged()
    try:
        # The setting is real: in this mode the file cannot be opened for writing.
        probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(path)!r}, 'r+b')"], capture_output=True, text=True)
        assert "PermissionError" in probe.stderr
        before = hashes(path)
        assert check(tmp_path, prefix=prefix) == (1, [OW102])
        assert hashes(path) == before
    finally:
        tmp_path.chmod(0o755)
