"""Open WebUI's PostgreSQL database (`--database-url postgresql://...`), read in a read-only transaction.

Needs the optional extra `owui-config-validator[postgres]`: psycopg 3 with its bundled libpq
(`psycopg[binary]`), so no compiler or system libpq is needed, and only those who check PostgreSQL
install it. The password comes from the URL or from PGPASSWORD (which libpq reads itself) and is
never shown: the database is named by its URL without password and query, and every error text is
scrubbed of the password before it is reported.

The `config` table is looked up in the current schema; an Open WebUI configured with
DATABASE_SCHEMA is reached with `?options=-csearch_path%3D<schema>` in the URL.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, unquote

from validator import redaction, secrets
from validator.location import Location
from validator.sources import storedconfig
from validator.sources.files import DEFAULT_MAX_BYTES, unreadable
from validator.sources.model import ParsedFile, Setting

SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT_SECONDS = 10
# A migration holding ACCESS EXCLUSIVE on `config` would block the read: wait this long, then say so.
LOCK_TIMEOUT = "5s"
STATEMENT_TIMEOUT = "30s"
COLUMNS_QUERY = ("SELECT column_name FROM information_schema.columns "
                 "WHERE table_schema = current_schema() AND table_name = 'config'")


def is_postgres_url(url: str) -> bool:
    """`postgresql://`, `postgres://`, and SQLAlchemy's `postgresql+driver://` (Open WebUI's DATABASE_URL)."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    return scheme.split("+", 1)[0] in SCHEMES


def display(url: str) -> str:
    """`postgresql://user@host:port/db`: whatever follows the user up to the last `@`, and the query, dropped.

    Cutting at the last `@` drops a password even when it holds an unencoded `@`, `/` or `?`.
    """
    rest = url.partition("://")[2]
    userinfo, at, hostpart = rest.rpartition("@")
    user = re.split(r"[:/?]", userinfo, maxsplit=1)[0]
    shown = f"postgresql://{user + '@' if at else ''}{hostpart.partition('?')[0]}"
    return secrets.scrub(shown, _passwords(url))


def read_url(url: str, max_value_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    for password in _passwords(url):
        redaction.register(password)
    shown = display(url)
    return storedconfig.parsed(shown, "postgresql", lambda: _read(url, Location(shown), max_value_bytes))


def _connect_timeout(url: str) -> int:
    """The URL's `connect_timeout`, kept between 2 s (libpq's own minimum) and CONNECT_TIMEOUT_SECONDS:
    libpq reads 0 (or a negative or unparsable value) as "wait forever"."""
    try:
        asked = int(_query(url).get("connect_timeout", [""])[-1])
    except ValueError:
        return CONNECT_TIMEOUT_SECONDS
    return min(max(asked, 2), CONNECT_TIMEOUT_SECONDS) if asked > 0 else CONNECT_TIMEOUT_SECONDS


def _read(url: str, here: Location, max_value_bytes: int) -> Setting | None:
    try:
        import psycopg
        from psycopg import errors
    except ImportError:
        raise unreadable(here, "reading PostgreSQL needs psycopg: pip install 'owui-config-validator[postgres]'") from None
    conninfo = "postgresql://" + _encoded(url.partition("://")[2])
    hidden = _passwords(url)
    try:
        # Keyword arguments override the URL's parameters: the time limits always hold.
        connection = psycopg.connect(conninfo, application_name="owui-validate",
                                     connect_timeout=_connect_timeout(url))
    except psycopg.Error as exc:
        raise unreadable(here, f"cannot connect: {_message(exc, hidden)}") from None
    except UnicodeDecodeError:  # psycopg decodes the %-escapes libpq took apart: `%ff` is no UTF-8
        raise unreadable(here, "cannot connect: a part of the URL (the password?) is not UTF-8 once its "
                         "%-escapes are decoded") from None
    try:
        connection.read_only = True  # the first statement opens BEGIN READ ONLY
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"SET LOCAL statement_timeout = '{STATEMENT_TIMEOUT}'")
            columns = {str(row[0]) for row in cursor.execute(COLUMNS_QUERY).fetchall()}
            return storedconfig.read_table(columns, lambda sql: cursor.execute(sql).fetchall(), here,
                                           max_value_bytes)
    except errors.LockNotAvailable:
        raise unreadable(here, f"the `config` table stayed locked by another session for {LOCK_TIMEOUT} "
                         "(a migration in progress?); try again") from None
    except psycopg.Error as exc:
        raise unreadable(here, f"cannot read: {_message(exc, hidden)}") from None
    finally:
        connection.close()  # never committed: the read-only transaction is discarded


def _encoded(rest: str) -> str:
    """The URL after `://` with `@`, `/`, `?` and `#` in the password %-encoded: libpq cuts the user info
    at the first `@`, and would take the rest of the password for the host (and quote it in errors)."""
    userinfo, at, hostpart = rest.rpartition("@")
    if not at:
        return rest
    user, colon, password = userinfo.partition(":")
    for char, code in (("@", "%40"), ("/", "%2F"), ("?", "%3F"), ("#", "%23")):
        password = password.replace(char, code)
    return f"{user}{colon}{password}@{hostpart}"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(url.partition("?")[2])


def _passwords(url: str) -> list[str]:
    """Every form the password may take in a message: from the URL (as written and decoded), the
    query's `password`, and PGPASSWORD."""
    userinfo = url.partition("://")[2].rpartition("@")[0]
    # The query's password as written too: `a+b%zz` is quoted by libpq as written, not as decoded.
    written = re.findall(r"(?:^|&)password=([^&]*)", url.partition("?")[2])
    found = [userinfo.partition(":")[2], *written, *_query(url).get("password", []), os.environ.get("PGPASSWORD", "")]
    return [text for password in found if password for text in {password, unquote(password)}]


def _message(exc: Exception, hidden: list[str]) -> str:
    """The server's primary message (no CONTEXT lines), else libpq's text on one line; scrubbed."""
    primary = getattr(getattr(exc, "diag", None), "message_primary", None)
    text = primary or "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__
    return redaction.redact(secrets.scrub(text, hidden))
