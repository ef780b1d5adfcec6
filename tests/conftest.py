"""Shared test helpers: Open WebUI's `config` table in both layouts, file hashes, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path


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


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`owui-validate` as a user runs it: a separate process, no colour."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([*prefix, sys.executable, "-m", "validator", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)
