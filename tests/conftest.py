"""Shared test fixtures: the CLI (in-process and as a subprocess), real files, Open WebUI's
`config` table in both layouts, file hashes, and a throwaway PostgreSQL server on loopback."""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from validator import cli as cli_module


@dataclass
class Ran:
    status: int
    out: str
    err: str


def clean_environ(**extra: str) -> dict[str, str]:
    """The test process's environment without what changes the CLI's defaults (CI sets GITHUB_ACTIONS)."""
    environ = {name: value for name, value in os.environ.items() if name not in ("GITHUB_ACTIONS", "NO_COLOR")}
    environ.update(extra)
    return environ


@pytest.fixture
def owui(capsys, monkeypatch, tmp_path):
    """`owui(*args, cwd=...)`: cli.main in this process, from `cwd` (default tmp_path)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str, cwd: Path | None = None) -> Ran:
        monkeypatch.chdir(cwd or tmp_path)
        capsys.readouterr()
        status = cli_module.main(list(args))
        captured = capsys.readouterr()
        return Ran(status, captured.out, captured.err)

    return run


@pytest.fixture
def owui_process(tmp_path):
    """`owui_process(*args, cwd=..., NAME=value...)`: `python -m validator` as a real subprocess,
    with these environment variables added."""

    def run(*args: str, cwd: Path | None = None, **environ: str) -> Ran:
        done = subprocess.run([sys.executable, "-m", "validator", *args], cwd=cwd or tmp_path,
                              env=clean_environ(**environ), capture_output=True, text=True, timeout=60)
        return Ran(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def cli():
    """`cli(*args, cwd=..., env=..., stdin=...)`: `python -m validator` as a subprocess, full result."""
    return run_cli


@pytest.fixture
def write():
    """`write(root, {"relative/name": "text"})` creates real files and returns root."""

    def create(root: Path, files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        return root

    return create


# The DDL of Open WebUI's `config` table, per backend: the 0.12 per-key table
# (open_webui/models/config.py) and the blob table of migration ca81bd47c050. The SQLite texts are
# what a real 0.12.4 server wrote into sqlite_master (the blob table survives there as `config_old`).
LAYOUTS = {
    ("per-key", "sqlite"): 'CREATE TABLE config ("key" TEXT NOT NULL, value JSON NOT NULL, updated_at BIGINT, '
                           'PRIMARY KEY ("key"))',
    ("per-key", "postgresql"): 'CREATE TABLE config ("key" TEXT NOT NULL, value JSON NOT NULL, updated_at BIGINT, '
                               'PRIMARY KEY ("key"))',
    ("blob", "sqlite"): "CREATE TABLE config (id INTEGER NOT NULL, data JSON NOT NULL, version INTEGER NOT NULL, "
                        "created_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, "
                        "updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (id))",
    ("blob", "postgresql"): "CREATE TABLE config (id SERIAL NOT NULL, data JSON NOT NULL, version INTEGER NOT NULL, "
                            "created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now() NOT NULL, "
                            "updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT now(), PRIMARY KEY (id))",
}
# Other keys a real 0.12 database holds beside auth.jwt_expiry.
NEIGHBOURS = {"ui.enable_signup": True, "auth.enable_api_keys": False, "ollama.base_urls": ["http://localhost:11434"]}


def fill(connection, backend: str, layout: str, rows: list[object]) -> None:
    """Create `config` and insert rows: per-key, raw JSON texts of auth.jwt_expiry (at most one);
    blob, (id, data) pairs whose data is JSON text."""
    mark = "?" if backend == "sqlite" else "%s"
    connection.execute(LAYOUTS[layout, backend])
    if layout == "per-key":
        for key, value in NEIGHBOURS.items():
            connection.execute(f"INSERT INTO config (key, value, updated_at) VALUES ({mark}, {mark}, 1)", (key, json.dumps(value)))
        for raw in rows:
            connection.execute(f"INSERT INTO config (key, value, updated_at) VALUES ('auth.jwt_expiry', {mark}, 1)", (raw,))
    else:
        for row_id, data in rows:  # type: ignore[misc]
            connection.execute(f"INSERT INTO config (id, data, version) VALUES ({mark}, {mark}, 0)", (row_id, data))


def blob(jwt_expiry: object) -> str:
    """The JSON text of an old configuration blob holding auth.jwt_expiry."""
    return json.dumps({"version": 0, "ui": {"enable_signup": False}, "auth": {"jwt_expiry": jwt_expiry}})


def hashes(path: Path) -> dict[str, str | None]:
    """SHA-256 of a database and its -wal, -shm and -journal files (None: absent)."""
    out: dict[str, str | None] = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(f"{path}{suffix}")
        out[suffix or "db"] = hashlib.sha256(target.read_bytes()).hexdigest() if target.exists() else None
    return out


def run_cli(*args: str, cwd: Path | str | None = None, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = (), stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`owui-validate` as a user runs it: a separate process, no colour, not inside GitHub Actions."""
    return subprocess.run([*prefix, sys.executable, "-m", "validator", *args], cwd=cwd,
                          env=clean_environ(NO_COLOR="1", **(env or {})), input=stdin,
                          capture_output=True, text=True, timeout=120)


def unprivileged() -> tuple[str, ...]:
    """A command prefix under which mode bits bind: root without CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a 0444 file stays writable for root")
    return (setpriv, "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search")


# --- PostgreSQL ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str

    def url(self, database: str, *, user: str | None = None, password: str | None = None) -> str:
        credentials = f"{user or self.user}" + (f":{password}" if password is not None else "")
        return f"postgresql://{credentials}@{self.host}:{self.port}/{database}"

    def connect(self, database: str = "postgres", **options):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user, password=self.password,
                               dbname=database, **{"autocommit": True, **options})


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]), reverse=True)
    initdb = found[0] if found else shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL cluster in a temporary directory, on 127.0.0.1, stopped and removed afterwards.

    PostgreSQL refuses to run as root: as root (CI), the cluster belongs to the `postgres` user of
    Debian's package. Skips, saying why, only when no server can be started.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("no PostgreSQL server: psycopg is not installed (pip install -e '.[test,postgres]')")
    bindir = _bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server: initdb not found (apt-get install postgresql)")
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no PostgreSQL server: running as root and there is no `postgres` user to run it")
        run_as = ["runuser", "-u", "postgres", "--"]
    base = tempfile.mkdtemp(prefix="owui-pg-")
    password = secrets.token_urlsafe(16)
    Path(base, "pw").write_text(password)
    if owner is not None:
        os.chmod(base, 0o700)
        for path in (base, os.path.join(base, "pw")):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    data, port = os.path.join(base, "data"), _free_port()

    def pg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=120)

    init = pg(f"{bindir}/initdb", "-D", data, "-U", "owui_admin", f"--pwfile={base}/pw", "--auth=scram-sha-256",
              "-E", "UTF8", "--no-sync")
    started = init.returncode == 0 and pg(
        f"{bindir}/pg_ctl", "-D", data, "-l", f"{base}/log", "-w", "-t", "60",
        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off", "start").returncode == 0
    if not started:
        log = Path(base, "log").read_text() if os.path.exists(f"{base}/log") else init.stderr
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"no PostgreSQL server: could not start one ({log.strip().splitlines()[-1:] or 'no log'})")
    try:
        yield Postgres("127.0.0.1", port, "owui_admin", password)
    finally:
        pg(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_database(postgres: Postgres) -> Iterator[tuple[str, Callable[..., object]]]:
    """A fresh database: (name, connect) where connect(**options) opens an admin connection to it."""
    name = f"owui_{uuid.uuid4().hex[:12]}"
    with postgres.connect() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield name, lambda **options: postgres.connect(name, **options)
    finally:
        with postgres.connect() as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
