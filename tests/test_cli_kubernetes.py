"""End to end: `owui-validate check` as a subprocess on the Kubernetes and Helm examples and on
manifests written here; exact lines, columns and messages, exit status, and no key in the output."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<code>OW\d{3}) (?P<severity>\w+) (?P<message>.*)$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validator", "check", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def findings(stdout: str) -> list[dict[str, str]]:
    return [match.groupdict() for line in stdout.splitlines() if (match := LINE.match(line))]


def test_kubernetes_and_helm_examples() -> None:
    result = run("examples/kubernetes", "examples/helm")
    assert result.returncode == 1 and result.stderr == ""
    found = findings(result.stdout)
    assert [(f["path"], int(f["line"]), int(f["column"]), f["code"], f["severity"]) for f in found] == [
        ("examples/helm/umbrella/values.yaml", 6, 15, "OW209", "info"),
        ("examples/helm/umbrella/values.yaml", 8, 14, "OW107", "info"),
        # One OW108 for the run, naming every deployment it concerns (validator.verdict.informational).
        ("examples/helm/umbrella/values.yaml", 8, 14, "OW108", "info"),
        ("examples/helm/values.yaml", 3, 15, "OW205", "error"),
        ("examples/helm/values.yaml", 13, 19, "OW101", "error"),
        ("examples/kubernetes/open-webui.yaml", 35, 20, "OW101", "error"),
        ("examples/kubernetes/open-webui.yaml", 50, 17, "OW205", "error"),
        ("examples/kubernetes/secret.yaml", 9, 21, "OW201", "error"),
        ("examples/kubernetes/statefulset.yaml", 21, 17, "OW205", "error"),
    ]
    messages = [f["message"] for f in found]
    assert "cannot be resolved here" in messages[0]
    assert "(2 replicas, 2 keys)" in messages[3]
    assert messages[4].startswith("JWT_EXPIRES_IN='2.4192e+06' is rejected by Open WebUI")
    assert messages[5] == "JWT_EXPIRES_IN='30 d' is rejected by Open WebUI: every sign-in fails with HTTP 500; use `30d`"
    # One replica, four through the autoscaler.
    assert messages[6].startswith("no WEBUI_SECRET_KEY") and "(4 replicas, 4 keys)" in messages[6]
    # The Secret's base64 decodes to the public default; the finding is at the Secret.
    assert messages[7].startswith("WEBUI_SECRET_KEY is the publicly known key 't0p-s3cr3t': anyone can forge")
    assert "(3 replicas, 3 keys)" in messages[8]
    # The explanations (--explain, JSON, SARIF) name the deployments and say why.
    explained = {(f["path"], f["line"], f["code"]): f["explanation"]
                 for f in json.loads(run("--format", "json", "examples/kubernetes", "examples/helm").stdout)["findings"]}
    assert "template expression" in explained[("examples/helm/umbrella/values.yaml", 6, "OW209")]
    assert explained[("examples/kubernetes/open-webui.yaml", 35, "OW101")].startswith(
        "Used by Deployment 'open-webui' container 'open-webui' (examples/kubernetes/open-webui.yaml).")
    assert explained[("examples/kubernetes/secret.yaml", 9, "OW201")].startswith(
        "Used by Deployment 'open-webui' container 'open-webui' (examples/kubernetes/open-webui.yaml).")
    canary = explained[("examples/kubernetes/open-webui.yaml", 50, "OW205")]
    assert "Deployment 'open-webui-canary' container 'open-webui'" in canary and "With 4 replicas" in canary
    assert "StatefulSet 'research/open-webui'" in explained[("examples/kubernetes/statefulset.yaml", 21, "OW205")]
    # The Node app's JWT_EXPIRES_IN "3600" and the chart's copy-app-data init container: nothing.
    assert "'api'" not in result.stdout and "copy-app-data" not in result.stdout
    assert result.stdout.endswith("Found 9 problems (6 errors, 3 info) in 6 files.\n")


def test_the_good_example_stays_clean() -> None:
    result = run("examples/good")
    assert (result.returncode, result.stdout) == (0, "No problems in 2 files.\n")


def test_a_changed_deployment_finds_its_secret_and_never_prints_the_key(tmp_path: Path) -> None:
    key = "Kx81-short-key"
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "webui.yaml").write_text(dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: webui, namespace: chat}
        spec:
          replicas: 2
          selector: {matchLabels: {app: webui}}
          template:
            spec:
              containers:
                - name: webui
                  image: ghcr.io/open-webui/open-webui:main
                  envFrom:
                    - secretRef: {name: webui-env}
        """))
    (tmp_path / "deploy" / "secret.yaml").write_text(dedent(f"""\
        apiVersion: v1
        kind: Secret
        metadata: {{name: webui-env, namespace: chat}}
        data:
          WEBUI_SECRET_KEY: {base64.b64encode(key.encode()).decode()}
        """))
    result = run("deploy/webui.yaml", cwd=tmp_path)
    assert result.returncode == 1
    (finding,) = findings(result.stdout)
    assert (finding["path"], finding["line"], finding["column"], finding["code"]) == \
        ("deploy/secret.yaml", "5", "21", "OW203")
    assert finding["message"].startswith("WEBUI_SECRET_KEY is 14 bytes (sha256 ")
    explained = run("--explain", "deploy/webui.yaml", cwd=tmp_path).stdout.splitlines()[1]
    assert explained.startswith("    Used by Deployment 'chat/webui' container 'webui' (deploy/webui.yaml).")
    output = result.stdout + result.stderr
    assert key not in output and base64.b64encode(key.encode()).decode() not in output


def test_unresolvable_secret_is_information_only(tmp_path: Path) -> None:
    (tmp_path / "webui.yaml").write_text(dedent("""\
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: webui}
        spec:
          replicas: 3
          selector: {matchLabels: {app: webui}}
          template:
            spec:
              containers:
                - name: webui
                  image: ghcr.io/open-webui/open-webui:main
                  env:
                    - name: WEBUI_SECRET_KEY
                      valueFrom: {secretKeyRef: {name: sealed, key: key}}
        """))
    result = run("--fail-on", "warning", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (
        "webui.yaml:14:48: OW209 info WEBUI_SECRET_KEY cannot be resolved here: not checked\n"
        "Found 1 problem (1 info) in 1 file.\n")
