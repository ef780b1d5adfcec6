"""`--database-url`: Open WebUI's config table in a real PostgreSQL server (started by the
`postgres` fixture on loopback), read in a read-only transaction; the password is never shown."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import Postgres, blob, fill, run_cli
from validator.sources import postgres as source
from validator.sources.storedconfig import NO_CONFIG_TABLE

KEY = "WEBUI_SECRET_KEY=241fd9abfb44950ce3d8f1679ed64f3cce3be447e148f015fc70444178d4dc36\n"
OW102 = "OW102 error config[auth.jwt_expiry]='1mo' is read as 1 minute: Open WebUI ignores 'o'; use `4w`"


def shown(server: Postgres, name: str) -> str:
    return f"postgresql://{server.user}@{server.host}:{server.port}/{name}"


def check(server: Postgres, name: str, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
          in_url: bool = True) -> tuple[int, list[str]]:
    url = server.url(name, password=server.password if in_url else None)
    result = run_cli("check", "-q", "--database-url", url, *args, cwd=cwd, env={"PGPASSWORD": "", **(env or {})})
    assert result.stderr == ""
    assert server.password not in result.stdout
    return result.returncode, result.stdout.splitlines()


def snapshot(connect) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Every config row with its xmin: any write, even of the same value, changes it."""
    with connect() as connection:
        return connection.execute("SELECT xmin::text, * FROM config ORDER BY 2").fetchall()


def test_per_key_layout_and_nothing_written(postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "per-key", [json.dumps("1mo")])
    before = snapshot(connect)
    assert check(postgres, name) == (1, [f"{shown(postgres, name)}:1:1: {OW102}"])
    assert snapshot(connect) == before


def test_blob_layout_highest_id_wins_with_password_from_pgpassword(postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "blob", [(1, blob("52w")), (3, blob("1mo")), (2, blob("3600"))])
    assert check(postgres, name, env={"PGPASSWORD": postgres.password}, in_url=False) == (
        1, [f"{shown(postgres, name)}:1:1: {OW102}"])


def test_no_config_table(postgres: Postgres, pg_database) -> None:
    name, _ = pg_database
    assert check(postgres, name) == (1, [f"{shown(postgres, name)}:1:1: OW001 error {NO_CONFIG_TABLE}"])


def test_invalid_json_in_a_text_column(postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        connection.execute("CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at BIGINT)")
        connection.execute("INSERT INTO config VALUES ('auth.jwt_expiry', '{broken', 1)")
    assert check(postgres, name) == (1, [
        f"{shown(postgres, name)}:1:1: OW001 error config[auth.jwt_expiry] is not valid JSON (Expecting property name "
        "enclosed in double quotes at character 2): Open WebUI cannot read it either"])


def test_reads_while_another_session_holds_a_lock_and_an_uncommitted_write(postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "per-key", [json.dumps("1mo")])
    with connect(autocommit=False) as holder:
        holder.execute("LOCK TABLE config IN EXCLUSIVE MODE")
        holder.execute("UPDATE config SET value = '\"-5m\"' WHERE key = 'auth.jwt_expiry'")
        assert check(postgres, name) == (1, [f"{shown(postgres, name)}:1:1: {OW102}"])
        holder.rollback()


def test_access_exclusive_lock_is_reported_after_the_lock_timeout(postgres: Postgres, pg_database, monkeypatch) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "per-key", [json.dumps("1mo")])
    monkeypatch.setattr(source, "LOCK_TIMEOUT", "300ms")
    with connect(autocommit=False) as holder:
        holder.execute("LOCK TABLE config IN ACCESS EXCLUSIVE MODE")
        (finding,) = source.read_url(postgres.url(name, password=postgres.password)).findings
        holder.rollback()
    assert (finding.code, finding.message) == ("OW001", "the `config` table stayed locked by another session for 300ms "
                                               "(a migration in progress?); try again")


def test_the_transaction_is_read_only(postgres: Postgres, pg_database) -> None:
    """A `config` view whose reading writes: refused inside the read-only transaction."""
    name, connect = pg_database
    with connect() as connection:
        connection.execute("CREATE TABLE audit (at TIMESTAMP DEFAULT now())")
        connection.execute("CREATE FUNCTION noted() RETURNS json LANGUAGE plpgsql AS "
                           "$$ BEGIN INSERT INTO audit DEFAULT VALUES; RETURN '\"1mo\"'::json; END $$")
        connection.execute("CREATE VIEW config AS SELECT 'auth.jwt_expiry'::text AS key, noted() AS value, 1 AS updated_at")
    code, output = check(postgres, name)
    assert (code, output) == (1, [f"{shown(postgres, name)}:1:1: OW001 error cannot read: cannot execute INSERT in a "
                                  "read-only transaction"])
    with connect() as connection:
        assert connection.execute("SELECT count(*) FROM audit").fetchone() == (0,)


def test_a_role_that_may_only_select(postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "per-key", [json.dumps("1mo")])
        connection.execute("DROP ROLE IF EXISTS owui_reader")
        connection.execute("CREATE ROLE owui_reader LOGIN PASSWORD 'reader-Secret-42'")
        connection.execute("GRANT SELECT ON config TO owui_reader")
    try:
        url = postgres.url(name, user="owui_reader", password="reader-Secret-42")
        result = run_cli("check", "-q", "--database-url", url)
        assert result.stdout.splitlines() == [
            f"postgresql://owui_reader@{postgres.host}:{postgres.port}/{name}:1:1: {OW102}"]
        assert "reader-Secret-42" not in result.stdout + result.stderr
    finally:
        with connect() as connection:
            connection.execute("DROP OWNED BY owui_reader")
            connection.execute("DROP ROLE owui_reader")


def test_wrong_password_is_reported_without_any_password(postgres: Postgres, pg_database) -> None:
    name, _ = pg_database
    wrong = "Wr0ng-pa55-Zq9"
    result = run_cli("check", "-q", "--database-url", postgres.url(name, password=wrong),
                     env={"PGPASSWORD": postgres.password})
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{shown(postgres, name)}:1:1: OW001 error cannot connect: ")
    assert f'password authentication failed for user "{postgres.user}"' in line
    assert wrong not in result.stdout + result.stderr and postgres.password not in result.stdout + result.stderr


def test_nothing_listening(tmp_path: Path, postgres: Postgres) -> None:
    url = f"postgresql://owui:{postgres.password}@127.0.0.1:1/openwebui"
    result = run_cli("check", "-q", "--database-url", url, cwd=tmp_path)
    (line,) = result.stdout.splitlines()
    assert line.startswith("postgresql://owui@127.0.0.1:1/openwebui:1:1: OW001 error cannot connect: ")
    assert "Connection refused" in line and postgres.password not in line
    assert result.returncode == 1


def test_environment_file_and_database_given_together(tmp_path: Path, postgres: Postgres, pg_database) -> None:
    name, connect = pg_database
    with connect() as connection:
        fill(connection, "postgresql", "per-key", [json.dumps("1mo")])
    (tmp_path / "prod.env").write_text(KEY + "JWT_EXPIRES_IN=4w\n")
    code, output = check(postgres, name, "prod.env", cwd=tmp_path)
    assert (code, output) == (1, [
        f"{shown(postgres, name)}:1:1: {OW102}",
        f"prod.env:2:16: OW110 warning stored setting config[auth.jwt_expiry]='1mo' in {shown(postgres, name)} "
        "overrides JWT_EXPIRES_IN='4w': Open WebUI uses the stored lifetime, 1 minute, not 4 weeks as written here; "
        "change it in Admin Panel > Settings > General > JWT Expiration, or set ENABLE_PERSISTENT_CONFIG=False to "
        "make this value authoritative",
    ])


# --- without a server -----------------------------------------------------------------------------


def test_only_a_database_url_does_not_walk_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WEBUI_SECRET_KEY=t0p-s3cr3t\n")
    result = run_cli("check", "--database-url", "postgresql://owui:pw-Zq9@127.0.0.1:1/openwebui", cwd=tmp_path)
    assert ".env" not in result.stdout
    assert result.stdout.splitlines()[-1] == "Found 1 problem (1 error) in 1 file."


def test_other_schemes_are_a_usage_error_that_does_not_echo_the_url() -> None:
    result = run_cli("check", "--database-url", "mysql://owui:hunter2-Zq9@db/openwebui")
    assert result.returncode == 2
    assert result.stderr == ("owui-validate: error: --database-url: expected a postgresql:// URL "
                             "(for SQLite, name the webui.db file)\n")


def test_without_psycopg_the_extra_is_named(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    (finding,) = source.read_url("postgresql://owui:pw@127.0.0.1/openwebui").findings
    assert (finding.code, finding.message) == (
        "OW001", "reading PostgreSQL needs psycopg: pip install 'owui-config-validator[postgres]'")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p%40ss@h:5432/db?sslmode=require&password=x", "postgresql://u@h:5432/db"),
        ("postgresql+psycopg2://u:pa/ss?@h/db", "postgresql://u@h/db"),
        ("postgres://h/db?password=secret&application_name=a@b", "postgresql://h@b"),
    ],
)
def test_display_never_holds_the_password(url: str, expected: str) -> None:
    assert source.display(url) == expected


def test_connect_timeout_0_in_the_url_keeps_the_time_limit(monkeypatch) -> None:
    """libpq reads `connect_timeout=0` as "wait forever": a server that accepts the connection and
    never answers must still end in an OW001 after the limit."""
    import socket
    import time

    monkeypatch.setattr(source, "CONNECT_TIMEOUT_SECONDS", 2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        started = time.monotonic()
        (finding,) = source.read_url(f"postgresql://owui:pw@127.0.0.1:{port}/openwebui?connect_timeout=0").findings
        elapsed = time.monotonic() - started
    assert finding.code == "OW001" and finding.message.startswith("cannot connect:")
    assert elapsed < 8


@pytest.mark.parametrize(("query", "seconds"), [("", 10), ("?connect_timeout=0", 10), ("?connect_timeout=-5", 10),
                                                ("?connect_timeout=x", 10), ("?connect_timeout=1", 2),
                                                ("?connect_timeout=5", 5), ("?connect_timeout=3600", 10)])
def test_connect_timeout_is_kept_between_2_and_10_seconds(query: str, seconds: int) -> None:
    assert source._connect_timeout(f"postgresql://owui@db/openwebui{query}") == seconds
