"""A release's own `parse_duration` and `create_token`, read from its source, never imported.

Importing `open_webui` runs its configuration and starts loading the app (database, models), so
`owui-validate tokens --openwebui PATH` reads `open_webui/utils/misc.py` and `open_webui/utils/auth.py`
from a wheel (`pip download open-webui==X --no-deps`) or an installed package directory, takes
the two function definitions and the `ALGORITHM` constant out of them with `ast`, and compiles
only those, against the few names their bodies use (re, datetime, jwt, uuid). Nothing else of the
package runs.
"""

from __future__ import annotations

import __future__
import ast
import os
import re
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Optional, Union

MISC = "open_webui/utils/misc.py"
AUTH = "open_webui/utils/auth.py"
_WHEEL_VERSION = re.compile(r"^open_webui-([^-]+)-")
_DIST_INFO = re.compile(r"^open_webui-([^-]+)\.dist-info$")


class CodeError(ValueError):
    """The path holds no Open WebUI source this can read: one line, naming the path."""


@dataclass(frozen=True)
class ReleaseCode:
    """The release's functions, ready to call: `create_token` signs with `key`."""

    key: str = field(repr=False)
    origin: str
    version: str | None
    algorithm: str
    parse_duration: Callable[[str], timedelta | None]
    create_token: Callable[..., str]


def load(path: str, key: str) -> ReleaseCode:
    """Read the release at `path` (a wheel, an `open_webui` directory, or the directory holding it);
    its create_token signs with `key`."""
    misc, auth, version = _sources(path)
    algorithm = _constant(auth, "ALGORITHM", AUTH, path)
    namespace: dict[str, Any] = {
        "re": re, "time": time, "uuid": uuid, "datetime": datetime, "timedelta": timedelta, "timezone": timezone,
        "UTC": timezone.utc, "Union": Union, "Optional": Optional, "SESSION_SECRET": key, "ALGORITHM": algorithm,
    }
    import jwt

    namespace["jwt"] = jwt
    parse_duration = _function(misc, "parse_duration", MISC, path, namespace)
    create_token = _function(auth, "create_token", AUTH, path, namespace)
    return ReleaseCode(key, os.path.normpath(path), version, algorithm, parse_duration, create_token)


def _sources(path: str) -> tuple[str, str, str | None]:
    """(misc.py text, auth.py text, the release's version if the path names it)."""
    if os.path.isfile(path):
        try:
            with zipfile.ZipFile(path) as wheel:
                texts = [wheel.read(member).decode("utf-8") for member in (MISC, AUTH)]
        except KeyError as exc:
            raise CodeError(f"{path}: not an Open WebUI wheel ({exc.args[0]})") from None
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
            raise CodeError(f"{path}: cannot be read as a wheel ({type(exc).__name__})") from None
        found = _WHEEL_VERSION.match(os.path.basename(path))
        return texts[0], texts[1], found.group(1) if found else None
    root = path if os.path.isfile(os.path.join(path, "utils", "misc.py")) else os.path.join(path, "open_webui")
    texts = []
    for member in (MISC, AUTH):
        file = os.path.join(root, *member.split("/")[1:])
        try:
            with open(file, encoding="utf-8") as handle:
                texts.append(handle.read())
        except (OSError, UnicodeDecodeError) as exc:
            raise CodeError(f"{path}: no readable {member} ({type(exc).__name__}); give an installed open_webui "
                            "directory or a wheel from `pip download open-webui==X --no-deps`") from None
    return texts[0], texts[1], _installed_version(os.path.dirname(os.path.abspath(root)))


def _installed_version(site: str) -> str | None:
    try:
        names = os.listdir(site)
    except OSError:
        return None
    return next((found.group(1) for found in map(_DIST_INFO.match, sorted(names)) if found), None)


def _parse(text: str, member: str, path: str) -> ast.Module:
    try:
        return ast.parse(text, member)
    except (SyntaxError, ValueError) as exc:
        raise CodeError(f"{path}: {member} does not parse ({type(exc).__name__})") from None


def _constant(text: str, name: str, member: str, path: str) -> str:
    for node in _parse(text, member, path).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets) \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    raise CodeError(f"{path}: {member} has no {name} = '...'")


def _function(text: str, name: str, member: str, path: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Compile the module-level `def name` alone (annotations stay unevaluated, as the release has them)."""
    found = [node for node in _parse(text, member, path).body
             if isinstance(node, ast.FunctionDef) and node.name == name]
    if not found:
        raise CodeError(f"{path}: {member} defines no function {name}")
    module = ast.Module(body=[found[-1]], type_ignores=[])
    code = compile(module, f"{path}!{member}", "exec", flags=__future__.annotations.compiler_flag, dont_inherit=True)
    scope = dict(namespace)
    exec(code, scope)  # noqa: S102 - one function definition taken from the release's source
    return scope[name]  # type: ignore[no-any-return]
