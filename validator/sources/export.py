"""Admin > Settings > Database > Export: Open WebUI's stored settings as a JSON file.

The Admin Panel downloads `config-<ms>.json`, written by `JSON.stringify` on one line. 0.10.0 and
later export flat keys (`{"auth.jwt_expiry": "4w", ...}`, `Config.get_all()`); up to 0.9.6 the
export is the configuration blob, nested (`{"auth": {"jwt_expiry": "4w"}, ...}`). A JSON file is taken for an
export by its content: a top-level object holding `auth.jwt_expiry` in either shape. Files that do
not mention `jwt_expiry` at all (package.json, tsconfig.json) are not even parsed.
"""

from __future__ import annotations

from validator.sources import jsonscan, storedconfig
from validator.sources.files import SourceError, Workspace
from validator.sources.model import ParsedFile, Setting

_MARKER = "jwt_expiry"


def read_export(ws: Workspace, path: str) -> ParsedFile:
    try:
        text = ws.text(path)
    except SourceError as exc:
        # A file that cannot be read at all (a FIFO named config.json) gets its verdict, as env files do.
        return ParsedFile(path, "json", findings=[exc.finding], openwebui=True)
    if _MARKER not in text:
        return ParsedFile(path, "json")
    try:
        root = ws.parsed("json", path, jsonscan.parse)
    except SourceError as exc:
        # It names the setting, so it is most likely an export: say why it cannot be checked.
        return ParsedFile(path, "json", findings=[exc.finding], openwebui=True)
    found = _stored_value(root)
    if found is None:
        return ParsedFile(path, "json")
    node, per_key = found
    setting = _setting(text, path, node, per_key)
    return ParsedFile(path, "export", [storedconfig.deployment(path, setting)], openwebui=True)


def _stored_value(root: jsonscan.Node) -> tuple[jsonscan.Node, bool] | None:
    """The value node of `auth.jwt_expiry` and whether it is a flat (per-key) export.

    A flat key wins over a nested one: 0.10 and later import flat keys, and would store a nested `auth`
    object under the key `auth`, where nothing reads it.
    """
    if root.kind != "object":
        return None
    flat = root.get(storedconfig.KEY)
    if flat is not None:
        return flat, True
    section, _, name = storedconfig.KEY.partition(".")
    auth = root.get(section)
    nested = auth.get(name) if auth is not None and auth.kind == "object" else None
    return (nested, False) if nested is not None else None


def _setting(text: str, path: str, node: jsonscan.Node, per_key: bool) -> Setting | None:
    # Objects and arrays only need to be described, not decoded.
    value = {"object": {}, "array": []}.get(node.kind, node.value)
    return storedconfig.stored_setting(storedconfig.KEY, value, jsonscan.location(text, path, node), per_key=per_key)
