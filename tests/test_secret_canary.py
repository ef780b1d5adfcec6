"""No secret key value ever reaches the output, whatever rule or error path fires."""

from __future__ import annotations

import secrets
from pathlib import Path


def canary_tree(root: Path, write) -> list[str]:
    """Files that put canary keys under every rule that looks at a key, and every parse error path."""
    short = "cnry-" + secrets.token_hex(8)                      # OW203
    weak = ("Qz7" + secrets.choice("ABCDEFGH")) * 10              # OW204 (repeated pattern)
    literal = "lit-" + secrets.token_hex(30)                     # OW207
    shared = "shr-" + secrets.token_hex(30)                      # OW208
    alias = "als-" + secrets.token_hex(30)                       # OW206 (both set)
    broken_env = "bre-" + secrets.token_hex(30)                  # OW001 in an env file
    broken_yaml = "bry-" + secrets.token_hex(30)                 # OW001 in YAML, on the bad line
    duplicate = "dup-" + secrets.token_hex(30)                   # OW002
    interpolated = "int-" + secrets.token_hex(30)                # value reached through ${...}
    write(root, {
        "short.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY={short}\n",
        "weak.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY=\"{weak}\"\n",
        "compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        f"    environment:\n      WEBUI_SECRET_KEY: {literal}\n"
                        "  other:\n    image: ghcr.io/open-webui/open-webui:main\n"
                        "    environment:\n      - WEBUI_SECRET_KEY=${KEY}\n"
                        f"      - WEBUI_JWT_SECRET_KEY={alias}\n",
        ".env": f"KEY={interpolated}\n",
        "a/staging.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY={shared}\n",
        "b/prod.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY='{shared}'\n",
        "broken.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY=\"{broken_env}\n",
        "broken/compose.yaml": "services:\n  webui:\n    environment:\n"
                               f"      WEBUI_SECRET_KEY: \"{broken_yaml}\n     bad: [\n",
        "dup.env": f"WEBUI_URL=x\nWEBUI_SECRET_KEY={duplicate}\nWEBUI_SECRET_KEY={duplicate}x\n",
    })
    return [short, weak, literal, shared, alias, broken_env, broken_yaml, duplicate, interpolated]


def test_canaries_never_reach_stdout_or_stderr(cli, tmp_path: Path, write) -> None:
    canaries = canary_tree(tmp_path, write)
    result = cli("check", ".", "--fail-on", "info", "--verbose", cwd=tmp_path)
    assert "WEBUI_SECRET_KEY (" in result.stderr  # the verbose report ran and described keys
    codes = {line.split()[1] for line in result.stdout.splitlines()[:-1]}
    # The tree really exercises every key rule and error path.
    assert {"OW001", "OW002", "OW203", "OW204", "OW206", "OW207", "OW208"} <= codes, result.stdout
    for canary in canaries:
        assert canary not in result.stdout and canary not in result.stderr
        assert canary[4:20] not in result.stdout  # nor a recognisable piece of it


def test_canary_in_setting_repr_is_hidden() -> None:
    from validator.location import Location
    from validator.sources.model import Setting

    canary = secrets.token_hex(32)
    setting = Setting("WEBUI_SECRET_KEY", canary, Location("x.env", 1, 1))
    assert canary not in repr(setting) and canary not in str(setting)
