"""`--fix`, `--unsafe-fixes` and `--diff` on real files: only the value's characters change, byte for byte."""

from __future__ import annotations

import codecs
from pathlib import Path

from validator.findings import Fix
from validator.fixes.apply import edit
from validator.location import Location

STRONG = "9c8a6f0d2b7e4c1a5d3f8e6b0a9c7d2e4f1b3a5c7e9d0f2a4b6c8e0d1f3a5b7c"


DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: webui}}
spec:
  selector: {{matchLabels: {{app: webui}}}}
  template:
    spec:
      containers:
        - name: webui
          image: ghcr.io/open-webui/open-webui:main
          envFrom: [{{configMapRef: {{name: webui}}}}]
          env: [{{name: WEBUI_SECRET_KEY, value: "{STRONG[3:]}000"}}]
"""
HELM_VALUES = b"ollama:\n  enabled: false\nextraEnvVars:\n  JWT_EXPIRES_IN: 2419200\n"


def tree(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def project(root: Path) -> dict[str, bytes]:
    """A home-lab stack: an env file with CRLF, a BOM, quotes and comments; compose; Kubernetes; Helm."""
    files = {
        "stack/.env": codecs.BOM_UTF8 + (f"# chat\r\nWEBUI_SECRET_KEY='{STRONG}'\r\n"
                                          "JWT_EXPIRES_IN=\"1H\"   # one hour\r\nOTHER=1H\r\n").encode(),
        "stack/compose.yaml": ("services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                               "    env_file: [.env]\n").encode(),
        "lab/tenant.env": f"WEBUI_SECRET_KEY={STRONG[::-1]}\nJWT_EXPIRES_IN=7days\n".encode(),
        "lab/legacy.env": f"WEBUI_SECRET_KEY={STRONG[1:]}0\nJWT_EXPIRES_IN=3600\n".encode(),
        "lab/month.env": f"WEBUI_SECRET_KEY={STRONG[2:]}00\nJWT_EXPIRES_IN=1mo\n".encode(),
        "k8s/configmap.yaml": ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: webui}\n"
                               "data:\n  JWT_EXPIRES_IN: '30 d'  # a month-ish\n").encode(),
        "k8s/deployment.yaml": DEPLOYMENT.encode(),
        "chart/values.yaml": HELM_VALUES,
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


def test_check_without_fix_and_diff_write_nothing(cli, tmp_path: Path) -> None:
    project(tmp_path)
    before = tree(tmp_path)
    assert cli("check", ".", cwd=tmp_path).returncode == 1
    diff = cli("check", "--diff", "--unsafe-fixes", ".", cwd=tmp_path)
    assert tree(tmp_path) == before
    assert diff.returncode == 1
    assert "\n".join(["--- lab/legacy.env", "+++ lab/legacy.env", "@@ -2 +2 @@", "-JWT_EXPIRES_IN=3600",
                      "+JWT_EXPIRES_IN=3600s"]) in diff.stdout
    assert "-  JWT_EXPIRES_IN: 2419200" in diff.stdout and '+  JWT_EXPIRES_IN: "2419200s"' in diff.stdout
    # Text around the value that is not the variable's syntax (a comment, a flow mapping) is hidden.
    assert "-JWT_EXPIRES_IN=\"1H …" in diff.stdout and "one hour" not in diff.stdout
    assert STRONG not in diff.stdout and "1mo" not in diff.stdout


def test_safe_fixes_touch_only_the_value(cli, tmp_path: Path) -> None:
    files = project(tmp_path)
    result = cli("check", "--fix", ".", cwd=tmp_path)
    after = tree(tmp_path)
    assert after["stack/.env"] == files["stack/.env"].replace(b'"1H"', b'"1h"')  # BOM, CRLF, OTHER=1H kept
    assert after["lab/tenant.env"] == files["lab/tenant.env"].replace(b"7days", b"7d")
    assert after["k8s/configmap.yaml"] == files["k8s/configmap.yaml"].replace(b"'30 d'", b"'30d'")
    # Guesses wait for --unsafe-fixes; months never get one.
    for name in ("lab/legacy.env", "chart/values.yaml", "lab/month.env"):
        assert after[name] == files[name], name
    assert "owui-validate: fixed 3 values" in result.stderr
    assert "OW101" in result.stdout and "lab/legacy.env:2:16: OW101" in result.stdout
    assert "stack/.env:3:17: OW101" not in result.stdout  # fixed, so no longer reported
    again = cli("check", "--fix", ".", cwd=tmp_path)
    assert tree(tmp_path) == after and "fixed 0 values" in again.stderr


def test_unsafe_fixes_guess_seconds_and_quote_helm_numbers(cli, tmp_path: Path) -> None:
    files = project(tmp_path)
    cli("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    after = tree(tmp_path)
    assert after["lab/legacy.env"] == files["lab/legacy.env"].replace(b"=3600\n", b"=3600s\n")
    assert after["chart/values.yaml"] == HELM_VALUES.replace(b"2419200", b'"2419200s"')
    assert after["lab/month.env"] == files["lab/month.env"]
    assert cli("check", "--select", "OW101,OW102", "lab/legacy.env", "chart", cwd=tmp_path).returncode == 0


def test_fix_never_writes_standard_input_or_the_report(cli, tmp_path: Path) -> None:
    (tmp_path / "x.env").write_text(f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=1H\n")
    result = cli("check", "--fix", "-", "--stdin-filename", "x.env", cwd=tmp_path,
                 stdin=f"WEBUI_SECRET_KEY={STRONG}\nJWT_EXPIRES_IN=1H\n")
    assert (tmp_path / "x.env").read_text().endswith("JWT_EXPIRES_IN=1H\n")
    assert "x.env:2:16: OW101" in result.stdout


def test_edit_skips_text_that_is_no_longer_the_value() -> None:
    data = b"A=1\nJWT_EXPIRES_IN=1H\n"
    moved = Fix(Location("f", 2, 17, 2, 19), "1H", "1h")  # one column off: not the value
    assert edit(data, [moved]) == (data, [])
    right = Fix(Location("f", 2, 16, 2, 18), "1H", "1h")
    assert edit(data, [right])[0] == b"A=1\nJWT_EXPIRES_IN=1h\n"
    assert edit(b"\xff\xfeJ\x00", [right]) == (b"\xff\xfeJ\x00", [])  # not UTF-8: left alone
