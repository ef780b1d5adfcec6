"""Named hostile inputs (README "Guarantees"): each gets a verdict, nothing crashes, hangs or leaks."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from validator import engine
from validator.redaction import QUOTE_LIMIT
from validator.sources.files import DEFAULT_MAX_BYTES

OWUI = "WEBUI_URL=https://chat.example.com\n"


def findings(*paths: Path, **options) -> list[tuple[str, int, int, str]]:
    result = engine.check([str(p) for p in paths], engine.Options(**options))
    assert result.errors == []
    return [(Path(f.location.path).name, f.location.line, f.location.column, f.code) for f in result.findings]


def messages(*paths: Path) -> list[str]:
    return [f.message for f in engine.check([str(p) for p in paths]).findings]


def test_invalid_utf8_is_ow001_at_the_byte(tmp_path: Path) -> None:
    (tmp_path / "prod.env").write_bytes(OWUI.encode() + b"JWT_EXPIRES_IN=4w\xff\n")
    assert findings(tmp_path / "prod.env") == [("prod.env", 2, 18, "OW001")]


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                        (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks_keep_positions(tmp_path: Path, bom: bytes, codec: str) -> None:
    (tmp_path / "prod.env").write_bytes(bom + (OWUI + "JWT_EXPIRES_IN=1mo\n").encode(codec))
    assert ("prod.env", 2, 16, "OW102") in findings(tmp_path / "prod.env")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_endings_keep_positions(tmp_path: Path, newline: str) -> None:
    (tmp_path / "prod.env").write_bytes((OWUI + "# c\nJWT_EXPIRES_IN=1mo\n").replace("\n", newline).encode())
    compose = "services:\n  w:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n      JWT_EXPIRES_IN: 3600\n"
    (tmp_path / "compose.yaml").write_bytes(compose.replace("\n", newline).encode())
    found = findings(tmp_path)
    assert ("prod.env", 3, 16, "OW102") in found and ("compose.yaml", 5, 23, "OW101") in found


def test_nul_bytes_and_binary_files(tmp_path: Path) -> None:
    (tmp_path / "prod.env").write_bytes(b"WEBUI_URL=x\nA=\x00\x01\x02")
    (tmp_path / "image.yaml").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x21" * 4)
    found = findings(tmp_path)
    assert ("prod.env", 2, 1, "OW001") in found and ("image.yaml", 1, 1, "OW001") in found
    assert "binary file (NUL byte)" in " ".join(messages(tmp_path))


def test_empty_files(tmp_path: Path) -> None:
    for name in (".env", "compose.yaml", "empty.yml"):
        (tmp_path / name).write_bytes(b"")
    assert findings(tmp_path) == []


def test_file_over_the_size_limit_is_skipped_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.env"
    with big.open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: reading it would take time and memory
    assert findings(big) == [("big.env", 1, 1, "OW001")]
    small = tmp_path / "small.env"
    small.write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    assert findings(small, max_bytes=10) == [("small.env", 1, 1, "OW001")]
    (limited,) = engine.check([str(small)], engine.Options(max_bytes=10)).findings
    assert "over the 10-byte limit: not read" in limited.message


def test_size_limit_message_and_cli_flag(cli, tmp_path: Path) -> None:
    (tmp_path / "prod.env").write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    result = cli("check", "--max-file-size", "16", "prod.env", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("prod.env:1:1: OW001 error file is 54 bytes, over the 16-byte limit: not read")


def test_unreadable_file(tmp_path: Path) -> None:
    target = tmp_path / "locked"
    target.mkdir(mode=0o755)
    secret = target / "prod.env"
    secret.write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    secret.chmod(0o000)
    if os.geteuid() != 0:
        assert findings(secret) == [("prod.env", 1, 1, "OW001")]
        return
    # Root reads anything: drop to nobody for this one run, as a CI user would be.
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is missing: cannot make a file unreadable")
    tmp_path.chmod(0o755)
    result = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
                             "validator", "check", str(secret)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.returncode == 1, result.stderr
    assert f"{secret}:1:1: OW001 error cannot read: Permission denied" in result.stdout


def test_broken_symlink_and_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "prod.env").symlink_to(tmp_path / "missing.env")
    (tmp_path / "a.env").symlink_to(tmp_path / "b.env")
    (tmp_path / "b.env").symlink_to(tmp_path / "a.env")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub" / "ok.env").write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    started = time.monotonic()
    found = findings(tmp_path)
    assert time.monotonic() - started < 5
    assert ("prod.env", 1, 1, "OW001") in found
    assert ("a.env", 1, 1, "OW001") in found and ("b.env", 1, 1, "OW001") in found
    assert [row for row in found if row[0] == "ok.env"] == [("ok.env", 2, 16, "OW102"), ("ok.env", 2, 16, "OW108")]


def test_fifo_named_like_an_env_file_does_not_block(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".env")
    started = time.monotonic()
    assert findings(tmp_path) == [(".env", 1, 1, "OW001")]
    assert time.monotonic() - started < 5


def test_billion_laughs_is_bounded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    lines += ["services:", "  w:", "    image: ghcr.io/open-webui/open-webui:main", "    environment:",
              "      JWT_EXPIRES_IN: 1mo", "    labels: *a11"]
    (tmp_path / "compose.yaml").write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    assert ("compose.yaml", 17, 23, "OW102") in findings(tmp_path)
    assert time.monotonic() - started < 5


def test_ten_thousand_deep_nesting(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("x: " + "[" * 10_000 + "]" * 10_000 + "\n")
    (tmp_path / "deeper.yaml").write_text("".join(f"{'  ' * i}k{i}:\n" for i in range(10_000)))
    started = time.monotonic()
    found = findings(tmp_path)
    assert time.monotonic() - started < 10
    assert all(code == "OW001" for *_, code in found)


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "compose.yaml").write_text(
        "services:\n  w:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        f"      X: !!python/object/apply:os.system ['touch {marker}']\n      JWT_EXPIRES_IN: !!str 1mo\n")
    assert ("compose.yaml", 6, 23, "OW102") in findings(tmp_path)  # the value token, tag included
    assert not marker.exists()


def test_duplicate_yaml_keys_are_ow002(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  w:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        "      JWT_EXPIRES_IN: 4w\n      JWT_EXPIRES_IN: 1mo\n")
    assert ("compose.yaml", 6, 7, "OW002") in findings(tmp_path)


def test_interpolation_nested_hundreds_deep(tmp_path: Path) -> None:
    value = "${A:-" * 400 + "1mo" + "}" * 400
    (tmp_path / "compose.yaml").write_text(
        "services:\n  w:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
        f"      JWT_EXPIRES_IN: '{value}'\n")
    started = time.monotonic()
    assert ("compose.yaml", 5, 24, "OW102") in findings(tmp_path)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("target", ["compose.yaml", "/dev/zero", "subdir", "../outside.env"])
def test_env_file_pointing_anywhere_gets_a_verdict(tmp_path: Path, target: str) -> None:
    project = tmp_path / "project"
    (project / "subdir").mkdir(parents=True)
    (tmp_path / "outside.env").write_text("JWT_EXPIRES_IN=1mo\n")
    (project / "compose.yaml").write_text(
        f"services:\n  w:\n    image: ghcr.io/open-webui/open-webui:main\n    env_file: {target}\n")
    started = time.monotonic()
    result = engine.check([str(project)])
    assert result.errors == [] and time.monotonic() - started < 5
    codes = [f.code for f in result.findings]
    if target in ("/dev/zero", "subdir"):
        assert "OW001" in codes  # compose refuses it too
    if target == "../outside.env":
        # Read as compose reads it, and reported there: the service uses it.
        assert [(Path(f.location.path).name, f.code) for f in result.findings][:1] == [("outside.env", "OW102")]


def test_multi_document_yaml_with_one_bad_document_still_checks_the_good_ones(tmp_path: Path) -> None:
    (tmp_path / "manifests.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: webui}\nstringData:\n  key: t0p-s3cr3t\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webui}\nspec:\n  selector: {}\n  template:\n"
        "    spec:\n      containers:\n        - name: webui\n          image: ghcr.io/open-webui/open-webui:main\n"
        "          env:\n            - name: WEBUI_SECRET_KEY\n              valueFrom:\n"
        "                secretKeyRef: {name: webui, key: key}\n---\nkind: [unclosed\n")
    found = findings(tmp_path)
    assert ("manifests.yaml", 5, 8, "OW201") in found  # from the good documents
    assert [row for row in found if row[3] == "OW001"] == [("manifests.yaml", 23, 1, "OW001")]


# --- linear work with caps (issue 11, item 14) ---------------------------------------------------


def timed(*paths: Path, **options) -> tuple[float, engine.Result]:
    started = time.perf_counter()
    result = engine.check([str(p) for p in paths], engine.Options(**options))
    return time.perf_counter() - started, result


def test_20k_identical_lines_are_one_finding_with_a_count(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(OWUI + "JWT_EXPIRES_IN=4w\n" * 20_000)  # was 61 s, 2.6 GB and 2.6 GB of output
    elapsed, result = timed(tmp_path / ".env")
    (duplicate,) = [f for f in result.findings if f.code == "OW002"]
    assert duplicate.message == ("JWT_EXPIRES_IN is defined 20000 times in this file (also at lines 2, 3, 4, 5, 6 "
                                 "and 19994 more); the definition at line 20001 wins")
    assert elapsed < 5


def test_20k_duplicate_keys_in_a_compose_environment(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                                           "    environment:\n" + "      JWT_EXPIRES_IN: 4w\n" * 20_000)  # was 56 s
    elapsed, result = timed(tmp_path / "compose.yaml")
    (duplicate,) = [f for f in result.findings if f.code == "OW002"]
    assert duplicate.location.line == 20_004 and "defined 20000 times" in duplicate.message
    assert elapsed < 10


def test_many_env_files_in_one_directory_list_it_once(tmp_path: Path, monkeypatch) -> None:
    for n in range(2000):  # 20,000 took 292 s: each file listed the directory again
        (tmp_path / f"s{n}.env").write_text("JWT_EXPIRES_IN=4w\n")
    listed: list[str] = []
    real = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listed.append(str(path)) or real(path))
    _elapsed, result = timed(tmp_path)
    assert result.errors == [] and len(result.files) == 2000
    assert listed.count(str(tmp_path)) <= 1


@pytest.mark.parametrize("name, text", [
    (".env", "V0=aaaaaaaaaaaaaaaa\n" + "".join(f"V{n}=${{V{n - 1}}}${{V{n - 1}}}\n" for n in range(1, 25))
     + "JWT_EXPIRES_IN=${V24}\n"),
    ("deploy.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: webui}\nspec:\n  containers:\n  - name: webui\n"
     "    image: ghcr.io/open-webui/open-webui:main\n    env:\n    - {name: V0, value: aaaaaaaaaaaaaaaa}\n"
     + "".join(f"    - {{name: V{n}, value: '$(V{n - 1})$(V{n - 1})'}}\n" for n in range(1, 25))
     + "    - {name: JWT_EXPIRES_IN, value: $(V24)}\n"),
])
def test_chained_interpolation_is_too_large_to_expand(tmp_path: Path, name: str, text: str) -> None:
    """A few hundred bytes that double at each line: 268 MB expanded (1.3 GB to run), now OW209."""
    (tmp_path / name).write_text(text)
    elapsed, result = timed(tmp_path / name, assume_openwebui=True)
    (unresolved,) = [f for f in result.findings if f.code == "OW209" and f.variable == "JWT_EXPIRES_IN"]
    assert "too large to expand" in unresolved.message and len(unresolved.message) < 400
    assert elapsed < 5


def test_a_megabytes_long_value_is_not_quoted_whole(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(OWUI + "JWT_EXPIRES_IN=" + "1" * 4_800_000 + "x\n")
    elapsed, result = timed(tmp_path / ".env")
    (rejected,) = [f for f in result.findings if f.code == "OW101"]
    assert rejected.message.startswith("JWT_EXPIRES_IN='" + "1" * QUOTE_LIMIT + "'... (4800001 characters) is rejected")
    assert len(rejected.message) < 400
    assert elapsed < 30  # linear: Open WebUI's own pattern takes minutes on it


# --- no crash, no "No problems" for numbers too large to read (item 17) --------------------------


@pytest.mark.parametrize("name, text", [
    ("compose.yaml", "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    deploy:\n"
     f"      replicas: {'9' * 5000}\n    environment:\n      JWT_EXPIRES_IN: 1mo\n"),
    ("deploy.yaml", f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: webui}}\nspec:\n  replicas: {'9' * 5000}\n"
     "  template:\n    spec:\n      containers:\n      - name: webui\n        image: ghcr.io/open-webui/open-webui:main\n"
     "        env:\n        - {name: JWT_EXPIRES_IN, value: 1mo}\n"),
    ("config-1718000000000.json", '{"auth.jwt_expiry": ' + "9" * 5000 + "}"),
])
def test_a_5000_digit_number_is_read_not_a_crash(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    result = engine.check([str(tmp_path / name)])
    assert result.errors == [] and result.findings


def test_helm_1e999999_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: open-webui\nversion: 6.0.0\n"
                                         "sources:\n  - https://github.com/open-webui/helm-charts\n")
    (tmp_path / "values.yaml").write_text("extraEnvVars:\n  - name: JWT_EXPIRES_IN\n    value: 1e+999999\n")
    result = engine.check([str(tmp_path)])
    assert result.errors == []
    assert any(f.code == "OW101" and f.variable == "JWT_EXPIRES_IN" for f in result.findings)


# --- special files, unreadable directories, control characters in names (item 18) ---------------


def test_a_fifo_named_config_json_gets_a_verdict(cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "config.json")
    result = cli("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "config.json:1:1: OW001 error is a FIFO, not a regular file: "
                                                  "not read\nFound 1 problem (1 error) in 1 file.\n")


def test_an_unreadable_directory_is_a_finding(cli, tmp_path: Path) -> None:
    """As root, mode 000 binds only without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: drop them."""
    from tests.conftest import unprivileged

    (tmp_path / "prod.env").write_text(OWUI + "JWT_EXPIRES_IN=4w\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / ".env").write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    locked.chmod(0)
    try:
        result = cli("check", ".", "-q", cwd=tmp_path, prefix=unprivileged())
    finally:
        locked.chmod(0o755)
    assert ("locked:1:1: OW001 error directory cannot be listed (Permission denied): the files in it are not "
            "checked") in result.stdout.splitlines()
    assert result.returncode == 1


FORGED = "evil\n.env:1:1: OW999 error forged\x1b[2J\x1b]0;pwned\x07.env"


@pytest.mark.parametrize("format_", ["text", "github", "junit"])
def test_control_characters_in_file_names_are_escaped(cli, tmp_path: Path, format_: str) -> None:
    (tmp_path / FORGED).write_text(OWUI + "JWT_EXPIRES_IN=1mo\n")
    result = cli("check", "--verbose", "--format", format_, ".", cwd=tmp_path)
    assert result.returncode == 1
    assert not any(char in result.stdout + result.stderr for char in "\x1b\x07")
    assert not any(line.startswith(".env:1:1: OW999") for line in result.stdout.splitlines())
    if format_ == "junit":
        import xml.etree.ElementTree as ET

        (case,) = ET.fromstring(result.stdout).iter("testcase")
        assert case.get("name") == "evil\\n.env:1:1: OW999 error forged\\x1b[2J\\x1b]0;pwned\\x07.env"
    elif format_ == "text":
        assert result.stdout.splitlines()[0].startswith("evil\\n.env:1:1: OW999 error forged\\x1b[2J")
