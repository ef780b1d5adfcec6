"""Open WebUI's stored settings (the Admin Panel's): the `config` table and its exported JSON.

What every stored source shares: the two layouts of the `config` table, how the stored value of
`auth.jwt_expiry` becomes a Setting, and the "stored-config" Deployment that carries it.

Layouts, read from the Open WebUI wheels 0.12.4 and 0.10.0 (`open_webui/models/config.py`,
migrations `ca81bd47c050_add_config_table` and `3ff2c63645b8_reshape_config_to_per_key_rows`) and
0.9.6 (`open_webui/internal/config.py`):
- per key (0.10.0 and later): columns `key` TEXT primary key, `value` JSON, `updated_at`; one row
  `key='auth.jwt_expiry'`. Open WebUI's `Config.get` returns the row's value as is, so a value that
  is not a string (a number, null) reaches `parse_duration` and fails there.
- blob (from the table's creation in 2024 up to 0.9.6): columns `id`, `data` JSON, `version`,
  `created_at`, `updated_at`; the row with the highest `id` is the configuration Open WebUI loads,
  holding `{"auth": {"jwt_expiry": ...}}`. There, a missing path or null means "not stored": the
  environment value is used.
The reshape keeps the old rows in `config_old` for rollback; Open WebUI never reads them again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from validator.location import Location
from validator.sources.files import SourceError, unreadable
from validator.sources.model import Deployment, ParsedFile, Setting

KEY = "auth.jwt_expiry"
# How a database's value is named in findings (`config[auth.jwt_expiry]`): the table and its key.
DATABASE_LABEL = f"config[{KEY}]"
# The variable the stored setting replaces: stored-config deployments carry it under this name.
VARIABLE = "JWT_EXPIRES_IN"

NO_CONFIG_TABLE = ("no `config` table: not an Open WebUI database, or one Open WebUI has never started on; "
                   "there is no stored setting to check")

# CAST to TEXT: SQLite gives a JSON column NUMERIC affinity (a stored `5` comes back as an integer),
# PostgreSQL returns `json` decoded; as text, both are decoded the same way.
PER_KEY_QUERY = f"SELECT CAST(value AS TEXT) FROM config WHERE key = '{KEY}'"
BLOB_QUERY = "SELECT CAST(data AS TEXT) FROM config ORDER BY id DESC LIMIT 1"

Fetch = Callable[[str], Sequence[Sequence[object]]]


def stored_setting(label: str, value: object, location: Location, *, per_key: bool) -> Setting | None:
    """The Setting for a stored value; None when Open WebUI treats it as not stored.

    A value that is not a string has no text Open WebUI could parse: `value` is None and
    `unresolved` says what it is (the rules report it as rejected).
    """
    if isinstance(value, str):
        return Setting(label, value, location)
    if value is None and not per_key:
        return None
    return Setting(label, None, location, unresolved=f"stored as {describe(value)}, not a string")


def describe(value: object) -> str:
    """`JSON number 3600`, `JSON null`, `a JSON object`: a stored value that is not a string."""
    if value is None:
        return "JSON null"
    if isinstance(value, bool):
        return f"JSON {'true' if value else 'false'}"
    if isinstance(value, (int, float)):
        return f"JSON number {_number(value)}"
    return f"a JSON {'object' if isinstance(value, dict) else 'array'}"


def _number(value: int | float) -> str:
    """A number as written, cut when long: a 5000-digit integer is not quoted (nor can Python
    convert it to text above 4300 digits)."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"of about {int(value.bit_length() * 0.30103)} digits"
    return str(value)


def from_blob(data: object) -> object | None:
    """`data["auth"]["jwt_expiry"]`, as the old PersistentConfig walked it; None if absent."""
    for part in KEY.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def read_table(columns: set[str], fetch: Fetch, location: Location, max_bytes: int) -> Setting | None:
    """The stored JWT lifetime from a `config` table with these columns (either layout).

    `fetch(sql)` runs one query of this module and returns its rows; values come back as JSON text
    (CAST works the same in SQLite and PostgreSQL). Raises SourceError for an unknown layout or a
    value that is not JSON, or one over `max_bytes` (not parsed).
    """
    if not columns:
        raise unreadable(location, NO_CONFIG_TABLE)
    if {"key", "value"} <= columns:
        rows = fetch(PER_KEY_QUERY)
        if not rows:
            return None
        return stored_setting(DATABASE_LABEL, _json(rows[0][0], location, DATABASE_LABEL, max_bytes), location, per_key=True)
    if {"id", "data"} <= columns:
        rows = fetch(BLOB_QUERY)
        if not rows:
            return None
        data = _json(rows[0][0], location, "the `config` row with the highest id", max_bytes)
        return stored_setting(DATABASE_LABEL, from_blob(data), location, per_key=False)
    raise unreadable(location, f"the `config` table has columns {', '.join(sorted(columns))}, neither of Open WebUI's "
                     "layouts (key/value, or id/data): not checked")


def _json(text: object, location: Location, what: str, max_bytes: int) -> object:
    import json

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        raise unreadable(location, f"{what} holds no JSON text (SQL NULL): not checked")
    if len(text) > max_bytes:
        raise unreadable(location, f"{what} is {len(text)} characters, over the {max_bytes}-byte file-size limit: "
                         "not read")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise unreadable(location, f"{what} is not valid JSON ({exc.msg} at character {exc.pos + 1}): "
                         "Open WebUI cannot read it either") from None
    except RecursionError:
        raise unreadable(location, f"{what} is JSON nested too deeply to read: not checked") from None
    except ValueError:  # an integer of more than 4300 digits
        raise unreadable(location, f"{what} holds a number too long to read: not checked") from None


def deployment(path: str, setting: Setting | None) -> Deployment:
    """The stored settings of one Open WebUI, as a deployment whose only variable is the lifetime."""
    return Deployment(
        name=f"stored settings in {path}",
        kind="stored-config",
        location=Location(path),
        settings={VARIABLE: setting} if setting is not None else {},
        openwebui=True,
        because="Open WebUI's stored settings (auth.jwt_expiry)",
    )


def parsed(path: str, kind: str, read: Callable[[], Setting | None]) -> ParsedFile:
    """Run a stored source's reader; its SourceError becomes the file's OW001."""
    try:
        setting = read()
    except SourceError as exc:
        return ParsedFile(path, kind, findings=[exc.finding], openwebui=True)
    return ParsedFile(path, kind, [deployment(path, setting)], openwebui=True)
