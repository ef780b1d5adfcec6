"""Deployments as real repositories hold them (issue 13): other applications left alone, the release
each deployment runs, charts through GitOps objects, one finding per shared value, templates.

Each test writes files of the shape met in home-lab stacks and GitOps repositories and runs the
CLI as a user does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

KEY = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>OW\d{3}) (?P<sev>error|warning|info) ")


def findings(result) -> list[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    """(path, line, code, severity) of each finding line."""
    found = [LINE.match(line) for line in result.stdout.splitlines()]
    return [(m["path"], int(m["line"]), m["code"], m["sev"]) for m in found if m]


# --- other applications are not Open WebUI -------------------------------------------------------


def test_other_chat_app_and_flask_app_report_nothing(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {
        "chat-ui/compose.yaml": "services:\n  chat:\n    build: .\n    ports: ['3000:3000']\n"
                                "    environment:\n      OLLAMA_BASE_URL: http://ollama:11434\n"
                                "      JWT_EXPIRES_IN: 3600\n      OPENAI_API_KEY: ${OPENAI_API_KEY}\n",
        "chat-ui/.env": "OPENAI_API_KEY=sk-test\n",
        "soundscout/docker-compose.yml": "services:\n  web:\n    image: ghcr.io/someone/soundscout:1.4\n"
                                        "    environment:\n      - FLASK_ENV=production\n"
                                        "      - WEBUI_SECRET_KEY=dev\n",
    })
    result = cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "No problems in 3 files.\n"


def test_a_built_service_with_open_webui_only_variables_is_checked(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  webui:\n    build: ./open-webui\n    environment:\n"
                                     "      ENABLE_OLLAMA_API: 'true'\n      JWT_EXPIRES_IN: 3600\n"})
    result = cli("check", ".", "--verbose", cwd=tmp_path)
    assert [code for _, _, code, _ in findings(result)] == ["OW205", "OW101", "OW108"]
    assert "Open WebUI because: no image; it sets ENABLE_OLLAMA_API, which only Open WebUI reads" in result.stderr


# --- the release each deployment runs ------------------------------------------------------------


def _pinned(tmp_path: Path, write, tag: str) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, {"compose.yaml": f"services:\n  open-webui:\n    image: ghcr.io/open-webui/open-webui:{tag}\n"
                                     "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n",
                     ".env": f"WEBUI_SECRET_KEY={KEY}\n"})


@pytest.mark.parametrize("target", [(), ("--target-version", "0.12.4")])
def test_a_pinned_old_release_gets_ow109_whatever_the_target_version(cli, tmp_path: Path, write,
                                                                     target: tuple[str, ...]) -> None:
    _pinned(tmp_path, write, "v0.6.18")
    result = cli("check", ".", *target, cwd=tmp_path)
    assert findings(result) == [("compose.yaml", 2, "OW109", "warning")]
    assert "Open WebUI 0.6.18 then uses -1" in result.stdout


@pytest.mark.parametrize(("target", "expected"), [((), []), (("--target-version", "0.6.5"), ["OW109"])])
def test_a_floating_tag_follows_the_target_version(cli, tmp_path: Path, write, target: tuple[str, ...],
                                                   expected: list[str]) -> None:
    _pinned(tmp_path, write, "main")
    assert [code for _, _, code, _ in findings(cli("check", ".", *target, cwd=tmp_path))] == expected


@pytest.mark.parametrize(("tag", "expected"), [
    ("v0.6.33", ["OW109"]), ("0.6.33-ollama", ["OW109"]), ("v0.6.34", []), ("v0.12.4-cuda", []),
])
def test_ow109_below_and_above_its_boundary_release(cli, tmp_path: Path, write, tag: str,
                                                    expected: list[str]) -> None:
    _pinned(tmp_path, write, tag)
    assert [code for _, _, code, _ in findings(cli("check", ".", "--target-version", "0.5.0", cwd=tmp_path))] \
        == expected


@pytest.mark.parametrize(("target", "public_fallback"), [("0.9.5", True), ("0.9.6", False)])
def test_public_fallback_below_and_above_its_boundary_release(cli, tmp_path: Path, write, target: str,
                                                              public_fallback: bool) -> None:
    """A custom build runs uvicorn itself: no start.sh generates a key. Its release is unknown, so
    --target-version decides."""
    write(tmp_path, {"compose.yaml": "services:\n  webui:\n    build: .\n    environment:\n"
                                     "      WEBUI_URL: https://chat.example.org\n      JWT_EXPIRES_IN: 12h\n"})
    result = cli("check", ".", "--target-version", target, cwd=tmp_path)
    assert ("'t0p-s3cr3t'" in result.stdout) is public_fallback
    assert [code for _, _, code, _ in findings(result)][0] == ("OW201" if public_fallback else "OW205")


def test_mirror_release_in_verbose_json_and_sarif(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  chat:\n    image: registry.example.com/mirror/open-webui:0.6.9\n"
                                     "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n"
                                     "  edge:\n    image: ghcr.io/open-webui/open-webui:main\n"
                                     "    environment:\n      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}\n"
                                     "      JWT_EXPIRES_IN: 12h\n",
                     ".env": f"WEBUI_SECRET_KEY={KEY}\n"})
    verbose = cli("check", ".", "--verbose", "--target-version", "0.12.4", cwd=tmp_path).stderr
    assert "token lifetime no expiry (tokens never expire)" in verbose
    assert ("    release 0.6.9 (image tag `0.6.9` of registry.example.com/mirror/open-webui:0.6.9); Open WebUI "
            "because: image registry.example.com/mirror/open-webui:0.6.9") in verbose
    assert "    release 0.12.4 (--target-version; image tag `main` is floating)" in verbose
    report = json.loads(cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert [(d["release"], d["release_source"]) for d in report["deployments"]] == [
        ("0.6.9", "image tag `0.6.9` of registry.example.com/mirror/open-webui:0.6.9"),
        ("0.12.4", "--target-version; image tag `main` is floating")]
    sarif = json.loads(cli("check", ".", "--format", "sarif", cwd=tmp_path).stdout)
    (first, second) = sarif["runs"][0]["properties"]["deployments"]
    assert (first["release"], second["release"]) == ("0.6.9", "0.12.4")
    assert first["openwebuiBecause"] == "image registry.example.com/mirror/open-webui:0.6.9"


def test_helm_release_from_image_tag_or_the_charts_app_version(cli, tmp_path: Path, write) -> None:
    chart = ("apiVersion: v2\nname: open-webui\nversion: 7.0.0\nappVersion: 0.6.5\n"
             "home: https://www.openwebui.com/\nsources:\n  - https://github.com/open-webui/helm-charts\n")
    write(tmp_path, {
        "vendored/Chart.yaml": chart,
        "vendored/values.yaml": "image:\n  repository: ghcr.io/open-webui/open-webui\n  tag: ''\n"
                                "extraEnvVars:\n  - name: WEBUI_SECRET_KEY\n    valueFrom:\n"
                                "      secretKeyRef: {name: webui, key: key}\n",
        "tagged/values.yaml": "image:\n  tag: v0.12.4\nollama:\n  enabled: false\nextraEnvVars:\n"
                              "  - name: WEBUI_SECRET_KEY\n    valueFrom:\n      secretKeyRef: {name: webui, key: key}\n",
    })
    result = cli("check", ".", "--verbose", "--target-version", "0.5.0", cwd=tmp_path)
    assert ("vendored/values.yaml", 1, "OW109", "warning") in findings(result)
    assert not [f for f in findings(result) if f[0] == "tagged/values.yaml" and f[2] == "OW109"]
    assert "release 0.6.5 (appVersion `0.6.5` of vendored/Chart.yaml (image.tag is empty))" in result.stderr
    assert "release 0.12.4 (image.tag `v0.12.4` in tagged/values.yaml)" in result.stderr


# --- charts --------------------------------------------------------------------------------------


def test_a_private_chart_named_open_webui_is_ow209_not_ow205(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {
        "charts/open-webui/Chart.yaml": "apiVersion: v2\nname: open-webui\nversion: 0.1.0\n"
                                        "home: https://git.example.org/platform/charts\n",
        "charts/open-webui/values.yaml": "replicaCount: 3\nimage:\n  repository: ghcr.io/open-webui/open-webui\n"
                                         "  tag: v0.6.18\nsecretName: open-webui-env\n",
        "charts/open-webui/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                                       "  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n"
                                                       "      containers:\n        - name: app\n"
                                                       "          envFrom:\n            - secretRef:\n"
                                                       "                name: {{ .Values.secretName }}\n",
    })
    result = cli("check", ".", cwd=tmp_path)
    assert findings(result) == [("charts/open-webui/values.yaml", 1, "OW209", "info")]
    assert "not the official one" in result.stdout


ARGO = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: open-webui
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: ai
  source:
    repoURL: https://helm.openwebui.com/
    chart: open-webui
    targetRevision: 6.29.0
    helm:
      valuesObject:
        replicaCount: 2
        extraEnvVars:
          - name: JWT_EXPIRES_IN
            value: 12h
  syncPolicy:
    automated: {prune: true}
"""


def test_argo_cd_application_values_object_without_key_is_ow205(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"apps/open-webui.yaml": ARGO})
    result = cli("check", ".", cwd=tmp_path)
    assert findings(result) == [("apps/open-webui.yaml", 16, "OW205", "error"),
                                ("apps/open-webui.yaml", 20, "OW108", "info")]
    assert "Argo CD Application 'open-webui' (chart open-webui)" in result.stdout


def test_argo_cd_values_string_positions_and_parameters(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"appset.yaml": """\
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: webui
        spec:
          generators:
            - list: {elements: [{env: staging}]}
          template:
            metadata:
              name: 'webui-{{env}}'
            spec:
              project: default
              sources:
                - repoURL: https://helm.openwebui.com/
                  chart: open-webui
                  targetRevision: 6.x
                  helm:
                    parameters:
                      - name: image.tag
                        value: v0.6.5
                      - name: extraEnvVars[0].name
                        value: WEBUI_SECRET_KEY
                      - name: extraEnvVars[0].value
                        value: changeme
                    values: |
                      replicaCount: 1
                      commonEnvVars:
                        - name: JWT_EXPIRES_IN
                          value: 1H
              destination: {server: 'https://kubernetes.default.svc', namespace: '{{env}}'}
        """.replace("\n        ", "\n").removeprefix("        ")})
    result = cli("check", ".", "--verbose", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert findings(result)[:2] == [("appset.yaml", 24, "OW201", "error"), ("appset.yaml", 24, "OW207", "warning")]
    assert ("appset.yaml", 29, "OW101", "error") in findings(result)
    assert any(line.startswith("appset.yaml:29:26: OW101") for line in lines)  # `1H` inside the string
    assert "release 0.6.5 (image.tag `v0.6.5` in appset.yaml)" in result.stderr


def test_flux_helm_release_without_key_is_ow205_and_values_from_is_ow209(cli, tmp_path: Path, write) -> None:
    release = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: open-webui
  namespace: ai
spec:
  interval: 10m
  chart:
    spec:
      chart: open-webui
      version: 6.x
      sourceRef: {kind: HelmRepository, name: open-webui}
  values:
    image:
      tag: v0.6.18
    extraEnvVars:
      JWT_EXPIRES_IN: 4w
"""
    write(tmp_path, {"clusters/home/open-webui.yaml": release})
    result = cli("check", ".", cwd=tmp_path)
    assert findings(result) == [("clusters/home/open-webui.yaml", 13, "OW205", "warning"),
                                ("clusters/home/open-webui.yaml", 17, "OW108", "info")]
    write(tmp_path, {"clusters/home/open-webui.yaml": release + "  valuesFrom:\n    - kind: Secret\n"
                                                               "      name: open-webui-values\n"})
    result = cli("check", ".", cwd=tmp_path)
    assert [code for _, _, code, _ in findings(result)] == ["OW209", "OW108"]
    assert "valuesFrom from key 'values.yaml' of Secret 'open-webui-values'" in result.stdout


def test_fleet_bundle_values(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"fleet/open-webui/fleet.yaml": "defaultNamespace: ai\nhelm:\n  repo: https://helm.openwebui.com/\n"
                                                    "  chart: open-webui\n  values:\n    replicaCount: 2\n"})
    assert findings(cli("check", ".", cwd=tmp_path)) == [("fleet/open-webui/fleet.yaml", 5, "OW205", "error")]


# --- one finding per value, templates, global mode ---------------------------------------------


def test_profiles_sharing_one_env_get_one_finding(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"compose.yaml": """\
x-webui: &webui
  image: ghcr.io/open-webui/open-webui:v0.6.34
  env_file: .env
services:
  webui-cpu:
    <<: *webui
    profiles: [cpu]
  webui-cuda:
    <<: *webui
    image: ghcr.io/open-webui/open-webui:v0.6.34-cuda
    profiles: [cuda]
  webui-ollama:
    <<: *webui
    image: ghcr.io/open-webui/open-webui:v0.6.34-ollama
    profiles: [ollama]
""", ".env": "WEBUI_SECRET_KEY=\nJWT_EXPIRES_IN=4w\nENABLE_PERSISTENT_CONFIG=false\n"})
    result = cli("check", ".", cwd=tmp_path)
    assert findings(result) == [(".env", 1, "OW205", "warning")]
    assert "used by service 'webui-cpu'" in result.stdout and "service 'webui-ollama'" in result.stdout


def test_template_files_are_not_deployments(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {
        "compose.yaml": f"services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:v0.6.34\n"
                        f"    environment:\n      WEBUI_SECRET_KEY: {KEY}x\n      JWT_EXPIRES_IN: 4w\n"
                        "      ENABLE_PERSISTENT_CONFIG: 'false'\n",
        # A ytt overlay of the same service: a template, not a second service.
        "overlays/webui.yml": "#@ load(\"@ytt:overlay\", \"overlay\")\n#@overlay/match by=overlay.all\n---\n"
                              "services:\n  #@overlay/match missing_ok=True\n  webui:\n"
                              "    image: ghcr.io/open-webui/open-webui:v0.6.5\n    environment:\n"
                              "      JWT_EXPIRES_IN: 1mo\n",
        # Jinja: rendered by Ansible into compose.yaml on the host.
        "roles/webui/templates/compose.yaml.j2": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                                                 "    environment:\n      JWT_EXPIRES_IN: 3600\n",
    })
    result = cli("check", ".", "roles/webui/templates/compose.yaml.j2", cwd=tmp_path)
    # The literal values are checked; nothing is said about what the templates leave out (no key, OW109).
    assert [(path, code) for path, _, code, _ in findings(result)] == [
        ("compose.yaml", "OW207"), ("overlays/webui.yml", "OW102"), ("roles/webui/templates/compose.yaml.j2", "OW101")]


@pytest.mark.parametrize("deploy", ["deploy:\n      mode: global\n", "deploy:\n      replicas: 3\n", "scale: 2\n"])
def test_global_mode_and_replicas_make_ow205_an_error(cli, tmp_path: Path, write, deploy: str) -> None:
    write(tmp_path, {"compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:v0.6.34\n"
                                     "    environment:\n      JWT_EXPIRES_IN: 4w\n"
                                     "      ENABLE_PERSISTENT_CONFIG: 'false'\n    " + deploy})
    assert findings(cli("check", ".", cwd=tmp_path)) == [("compose.yaml", 2, "OW205", "error")]


def test_another_charts_values_running_open_webui_are_read_and_a_missing_key_is_ow209(cli, tmp_path: Path,
                                                                                       write) -> None:
    write(tmp_path, {
        "apps/webui/values.yaml": "controllers:\n  main:\n    containers:\n      main:\n        image:\n"
                                  "          repository: ghcr.io/open-webui/open-webui\n          tag: v0.6.18\n"
                                  "        env:\n          JWT_EXPIRES_IN: 3600\n"
                                  "          OLLAMA_BASE_URL: http://ollama:11434\n",
        "apps/argo.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: chat\nspec:\n"
                          "  source:\n    repoURL: https://bjw-s.github.io/helm-charts\n    chart: app-template\n"
                          "    helm:\n      valuesObject:\n        image: ghcr.io/open-webui/open-webui:v0.6.34\n"
                          "        env:\n          - name: JWT_EXPIRES_IN\n            value: 1H\n",
        # Another application in the same kind of chart is left alone.
        "apps/other/values.yaml": "image:\n  repository: ghcr.io/someone/soundscout\nenv:\n  WEBUI_SECRET_KEY: dev\n",
    })
    result = cli("check", ".", "--verbose", cwd=tmp_path)
    assert [(path, line, code) for path, line, code, _ in findings(result)] == [
        ("apps/argo.yaml", 11, "OW209"), ("apps/argo.yaml", 14, "OW101"), ("apps/argo.yaml", 14, "OW108"),
        ("apps/webui/values.yaml", 5, "OW209"), ("apps/webui/values.yaml", 9, "OW101"),
        ("apps/webui/values.yaml", 9, "OW108")]
    assert "OW205" not in result.stdout
    assert "release 0.6.18 (image tag `v0.6.18` of ghcr.io/open-webui/open-webui:v0.6.18)" in result.stderr
    assert "values of chart app-template in Argo CD Application 'chat' running" in result.stderr


def test_flux_values_from_objects_in_the_files_are_read_where_they_are_written(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {
        "apps/webui/release.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n"
                                   "  name: open-webui\n  namespace: ai\nspec:\n  chart:\n    spec:\n"
                                   "      chart: open-webui\n      sourceRef: {kind: HelmRepository, name: owui}\n"
                                   "  valuesFrom:\n    - kind: ConfigMap\n      name: webui-values\n"
                                   "    - kind: Secret\n      name: webui-key\n      valuesKey: key\n"
                                   "      targetPath: extraEnvVars[1].value\n"
                                   "  values:\n    replicaCount: 2\n",
        "apps/webui/values.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: webui-values\n"
                                  "  namespace: ai\ndata:\n  values.yaml: |\n    extraEnvVars:\n"
                                  "      - name: JWT_EXPIRES_IN\n        value: 1mo\n"
                                  "      - name: WEBUI_SECRET_KEY\n        value: replaced-by-the-secret\n",
        "apps/webui/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: webui-key\n  namespace: ai\n"
                                  "stringData:\n  key: changeme\n",
    })
    result = cli("check", ".", cwd=tmp_path)
    # 1mo inside the ConfigMap's values string; the key from the Secret at targetPath (not literal: no OW207).
    assert [(path, line, code) for path, line, code, _ in findings(result)] == [
        ("apps/webui/secret.yaml", 7, "OW201"), ("apps/webui/values.yaml", 10, "OW102"),
        ("apps/webui/values.yaml", 10, "OW108")]
    assert any(line.startswith("apps/webui/values.yaml:10:16: OW102") for line in result.stdout.splitlines())


def test_umbrella_chart_release_from_the_downloaded_chart_package(cli, tmp_path: Path, write) -> None:
    """`helm dependency update` leaves charts/open-webui-X.tgz: its Chart.yaml's appVersion is the release."""
    import io
    import tarfile

    write(tmp_path, {
        "platform/Chart.yaml": "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n"
                               "  - name: open-webui\n    version: 6.29.0\n    repository: https://helm.openwebui.com\n",
        "platform/Chart.lock": "dependencies:\n- name: open-webui\n  repository: https://helm.openwebui.com\n"
                               "  version: 6.29.0\ndigest: sha256:0\ngenerated: '2025-01-01T00:00:00Z'\n",
        "platform/values.yaml": "open-webui:\n  extraEnvVars:\n    - name: WEBUI_SECRET_KEY\n"
                                "      valueFrom: {secretKeyRef: {name: webui, key: key}}\n",
    })
    chart = b"apiVersion: v2\nname: open-webui\nversion: 6.29.0\nappVersion: 0.6.5\nhome: https://www.openwebui.com/\n"
    (tmp_path / "platform/charts").mkdir()
    with tarfile.open(tmp_path / "platform/charts/open-webui-6.29.0.tgz", "w:gz") as archive:
        info = tarfile.TarInfo("open-webui/Chart.yaml")
        info.size = len(chart)
        archive.addfile(info, io.BytesIO(chart))
    result = cli("check", ".", "--verbose", cwd=tmp_path)
    assert ("platform/values.yaml", 2, "OW109", "warning") in findings(result)
    assert "release 0.6.5 (appVersion `0.6.5` of platform/charts/open-webui-6.29.0.tgz!open-webui/Chart.yaml" \
        in result.stderr


def test_services_that_extend_one_get_its_environment_and_one_finding_per_value(cli, tmp_path: Path, write) -> None:
    write(tmp_path, {"compose.yaml": """\
services:
  webui-base:
    image: ghcr.io/open-webui/open-webui:v0.6.34
    profiles: [base]
    environment:
      WEBUI_SECRET_KEY: ${WEBUI_SECRET_KEY}
      JWT_EXPIRES_IN: 1mo
      ENABLE_PERSISTENT_CONFIG: "false"
  webui:
    extends: webui-base
    profiles: [cpu]
  webui-gpu:
    extends:
      service: webui-base
    image: ghcr.io/open-webui/open-webui:v0.6.34-cuda
    profiles: [gpu]
""", ".env": f"WEBUI_SECRET_KEY={KEY}\n"})
    result = cli("check", ".", cwd=tmp_path)
    # Without extends the two services would have no key (OW205 each) and no lifetime.
    assert findings(result) == [("compose.yaml", 7, "OW102", "error")]
    assert "[used by service 'webui-base' in compose.yaml, service 'webui' in compose.yaml, service 'webui-gpu'" \
        in result.stdout


def test_hostile_gitops_objects_get_verdicts_quickly(cli, tmp_path: Path, write) -> None:
    """Wrong shapes everywhere, a `--set` index Helm refuses, broken YAML in helm.values: no crash, no hang."""
    write(tmp_path, {"apps.yaml": """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec: []
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: c}
spec:
  sources: [{chart: open-webui, helm: {parameters: "x", values: 123, valuesObject: []}}, 5, {chart: [1]}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: d}
spec:
  source:
    chart: open-webui
    helm:
      parameters: [{name: "extraEnvVars[99999999].value", value: x}, {name: "[0]", value: y}, {name: a..b, value: z}]
      values: |
        replicaCount: 2
        : bad: [
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: e}
spec:
  chart: {spec: {chart: open-webui}}
  valuesFrom: [{kind: Secret}, 3, {kind: ConfigMap, name: cm, targetPath: "x[2]"}]
  values: "str"
"""})
    result = cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    assert ("apps.yaml", 22, "OW001", "error") in findings(result)
    assert [code for _, _, code, _ in findings(result)].count("OW205") == 3
