"""Kubernetes manifests through the whole check: Secrets and ConfigMaps of any file, kubelet order,
`$(VAR)` expansion, replicas and autoscalers, kustomize trees; positions and messages exact."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from textwrap import dedent

import pytest

from validator import engine
from validator.findings import Finding, Severity
from validator.sources.kubernetes import podenv
from validator.sources.kubernetes.manifests import read_manifests
from validator.sources.model import Setting
from validator.sources.yamlfile import load_documents, mapping_get

STRONG = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"
IMAGE = "ghcr.io/open-webui/open-webui:v0.12.4"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dedent(text))


def check(root: Path, files: dict[str, str], *paths: str) -> list[Finding]:
    write(root, files)
    return engine.check([str(root / path) for path in (paths or (".",))]).findings


def where(root: Path, finding: Finding) -> tuple[str, str, int, int]:
    return (finding.code, os.path.relpath(finding.location.path, root), finding.location.line, finding.location.column)


def deployment(name: str = "open-webui", env: str = "", *, replicas: int | None = 2, image: str = IMAGE,
               namespace: str | None = None, extra: str = "") -> str:
    """A complete Deployment; `env` is the container's env list at column 0 (indented here)."""
    lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {name}"]
    if namespace:
        lines.append(f"  namespace: {namespace}")
    lines.append("spec:")
    if replicas is not None:
        lines.append(f"  replicas: {replicas}")
    lines += ["  selector:", f"    matchLabels: {{app: {name}}}", "  template:", "    metadata:",
              f"      labels: {{app: {name}}}", "    spec:", "      containers:", f"        - name: {name}",
              f"          image: {image}"]
    if env:
        lines.append("          env:")
        lines += ["            " + line for line in dedent(env).strip("\n").splitlines()]
    if extra:
        lines += ["          " + line for line in dedent(extra).strip("\n").splitlines()]
    return "\n".join(lines) + "\n"


KEY_FROM_SECRET = """\
- name: WEBUI_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: open-webui-secret
      key: webui-secret-key
"""
# In deployment(): the env list starts at line 17, so the Secret's `name:` is at line 20, its key at 21.


def secret(data: dict[str, str] | None = None, string_data: dict[str, str] | None = None,
           name: str = "open-webui-secret", namespace: str | None = None) -> str:
    lines = ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {name}"]
    if namespace:
        lines.append(f"  namespace: {namespace}")
    lines.append("type: Opaque")
    for section, values in (("data", data), ("stringData", string_data)):
        if values:
            lines.append(f"{section}:")
            lines += [f"  {key}: {value}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


# --- Secrets across files ----------------------------------------------------------------------


def test_secret_in_another_file_decodes_to_public_key_at_the_secret_line(tmp_path: Path) -> None:
    files = {
        "k8s/deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "k8s/secret.yaml": secret({"webui-secret-key": b64("t0p-s3cr3t")}),
    }
    found = check(tmp_path, files)
    assert [where(tmp_path, f) for f in found] == [("OW201", "k8s/secret.yaml", 7, 21)]
    (finding,) = found
    assert finding.severity is Severity.ERROR
    assert "publicly known key 't0p-s3cr3t'" in finding.full_message
    assert finding.explanation.startswith(
        f"Used by Deployment 'open-webui' container 'open-webui' ({tmp_path}/k8s/deployment.yaml).")
    assert b64("t0p-s3cr3t") not in finding.full_message


@pytest.mark.parametrize("asked", ["k8s/deployment.yaml", "k8s/secret.yaml"])
def test_one_changed_file_reads_the_manifests_beside_it(tmp_path: Path, asked: str) -> None:
    """pre-commit passes only the changed file: the verdict must not depend on which one."""
    files = {
        "k8s/deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "k8s/secret.yaml": secret({"webui-secret-key": b64("t0p-s3cr3t")}),
    }
    found = check(tmp_path, files, asked)
    assert [where(tmp_path, f) for f in found] == [("OW201", "k8s/secret.yaml", 7, 21)]


def test_secret_in_the_same_file_still_names_the_consumer(tmp_path: Path) -> None:
    text = deployment(env=KEY_FROM_SECRET) + "---\n" + secret({"webui-secret-key": b64("t0p-s3cr3t")})
    found = check(tmp_path, {"all.yaml": text})
    assert [where(tmp_path, f) for f in found] == [("OW201", "all.yaml", 29, 21)]
    assert "Used by Deployment 'open-webui' container 'open-webui' (" in found[0].full_message


def test_string_data_wins_over_data(tmp_path: Path) -> None:
    files = {
        "deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "secret.yaml": secret({"webui-secret-key": b64(STRONG)}, {"webui-secret-key": "t0p-s3cr3t"}),
    }
    assert [where(tmp_path, f) for f in check(tmp_path, files)] == [("OW201", "secret.yaml", 9, 21)]


def test_invalid_base64_is_ow001_at_its_line_and_never_quotes_it(tmp_path: Path) -> None:
    files = {
        "deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "secret.yaml": secret({"webui-secret-key": "not*base64!"}),
    }
    found = check(tmp_path, files)
    assert [where(tmp_path, f) for f in found] == [("OW001", "secret.yaml", 7, 21), ("OW209", "secret.yaml", 7, 21)]
    assert found[0].full_message == (
        "Secret 'open-webui-secret' data webui-secret-key is not valid base64: the API server rejects the whole "
        "Secret; encode the value with `base64 -w0`, or write it under stringData")
    assert "not valid base64" in found[1].full_message
    assert all("not*base64!" not in f.full_message for f in found)


def test_invalid_base64_without_a_consumer_is_reported_only_in_open_webui_secrets(tmp_path: Path) -> None:
    ours = check(tmp_path / "ours", {"secret.yaml": secret({"WEBUI_SECRET_KEY": "not*base64!"})})
    assert [where(tmp_path / "ours", f) for f in ours] == [("OW001", "secret.yaml", 7, 21)]
    assert check(tmp_path / "theirs", {"secret.yaml": secret({"DB_PASSWORD": "not*base64!"})}) == []


def test_base64_over_several_lines_decodes_as_kubectl_does(tmp_path: Path) -> None:
    encoded = b64("t0p-s3cr3t")
    files = {
        "deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "secret.yaml": secret({"webui-secret-key": f"|\n    {encoded[:8]}\n    {encoded[8:]}"}),
    }
    assert [f.code for f in check(tmp_path, files)] == ["OW201"]


def test_short_key_from_secret_shows_length_and_fingerprint_only(tmp_path: Path) -> None:
    files = {
        "deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "secret.yaml": secret({"webui-secret-key": b64("Xk29sLq0pR")}),
    }
    (finding,) = check(tmp_path, files)
    assert where(tmp_path, finding) == ("OW203", "secret.yaml", 7, 21)
    assert "is 10 bytes" in finding.full_message and "Xk29sLq0pR" not in finding.full_message
    assert b64("Xk29sLq0pR") not in finding.full_message


# --- references that cannot be resolved --------------------------------------------------------


def test_missing_secret_is_ow209_not_ow205_even_with_replicas(tmp_path: Path) -> None:
    found = check(tmp_path, {"deployment.yaml": deployment(env=KEY_FROM_SECRET, replicas=3)})
    assert [where(tmp_path, f) for f in found] == [("OW209", "deployment.yaml", 20, 25)]
    assert found[0].severity is Severity.INFO
    assert found[0].message == "WEBUI_SECRET_KEY cannot be resolved here: not checked"
    assert found[0].explanation.endswith(
        "Why: it comes from key 'webui-secret-key' of Secret 'open-webui-secret', which is not among the files checked.")


def test_optional_reference_is_ow209_and_says_so(tmp_path: Path) -> None:
    env = KEY_FROM_SECRET + "      optional: true\n"
    (finding,) = check(tmp_path, {"deployment.yaml": deployment(env=env)})
    assert where(tmp_path, finding) == ("OW209", "deployment.yaml", 20, 25)
    assert "(optional: unset if it does not exist)" in finding.full_message


def test_missing_key_in_a_present_secret_is_ow209_at_the_key(tmp_path: Path) -> None:
    files = {"deployment.yaml": deployment(env=KEY_FROM_SECRET), "secret.yaml": secret({"other": b64(STRONG)})}
    (finding,) = check(tmp_path, files)
    assert where(tmp_path, finding) == ("OW209", "deployment.yaml", 21, 24)
    assert "has no key 'webui-secret-key'" in finding.full_message


def test_namespace_must_match_and_a_missing_one_is_default(tmp_path: Path) -> None:
    files = {"deployment.yaml": deployment(env=KEY_FROM_SECRET),
             "secret.yaml": secret({"webui-secret-key": b64("t0p-s3cr3t")}, namespace="prod")}
    (finding,) = check(tmp_path, files)
    assert where(tmp_path, finding) == ("OW209", "deployment.yaml", 20, 25)
    assert "which the files define only in namespace 'prod' (no namespace means 'default')" in finding.full_message

    explicit = {"deployment.yaml": deployment(env=KEY_FROM_SECRET, namespace="default"),
                "secret.yaml": secret({"webui-secret-key": b64("t0p-s3cr3t")})}
    assert [f.code for f in check(tmp_path, explicit)] == ["OW201"]


def test_envfrom_secret_not_among_the_files_may_hold_the_key(tmp_path: Path) -> None:
    extra = """\
    envFrom:
      - secretRef:
          name: open-webui-env
    """
    (finding,) = check(tmp_path, {"deployment.yaml": deployment(extra=extra, replicas=3)})
    assert where(tmp_path, finding) == ("OW209", "deployment.yaml", 18, 23)
    assert "may come through envFrom from Secret 'open-webui-env', which is not among the files checked" \
        in finding.full_message


@pytest.mark.parametrize("value_from, line, column", [
    ("fieldRef: {fieldPath: metadata.name}", 19, 27),
    ("resourceFieldRef: {resource: limits.memory}", 19, 35),
])
def test_runtime_fields_are_unresolved(tmp_path: Path, value_from: str, line: int, column: int) -> None:
    env = f"- name: WEBUI_SECRET_KEY\n  valueFrom:\n    {value_from}\n"
    (finding,) = check(tmp_path, {"deployment.yaml": deployment(env=env)})
    assert where(tmp_path, finding) == ("OW209", "deployment.yaml", line, column)
    assert "known only at run time" in finding.full_message


# --- replicas --------------------------------------------------------------------------------


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: open-webui
spec:
  replicas: 3
  serviceName: open-webui
  selector:
    matchLabels: {app: open-webui}
  template:
    spec:
      initContainers:
        - name: copy-app-data
          image: ghcr.io/open-webui/open-webui:main
          command: ["sh", "-c", "cp -R -n /app/backend/data/* /tmp/app-data/"]
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:main
"""


def test_statefulset_with_three_replicas_and_no_key_is_an_error(tmp_path: Path) -> None:
    found = check(tmp_path, {"statefulset.yaml": STATEFULSET})
    # The init container runs its own command, not Open WebUI: no finding for it.
    assert [where(tmp_path, f) for f in found] == [("OW205", "statefulset.yaml", 17, 17)]
    assert found[0].severity is Severity.ERROR
    assert found[0].explanation.startswith(
        f"StatefulSet 'open-webui' container 'open-webui' ({tmp_path}/statefulset.yaml): "
        "the official image's start.sh generates a new key in each container")
    assert "With 3 replicas each has its own key" in found[0].full_message
    assert "Used by" not in found[0].full_message


def test_single_replica_without_key_is_a_warning(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, {"deployment.yaml": deployment(replicas=None)})
    assert (finding.code, finding.severity) == ("OW205", Severity.WARNING)
    assert where(tmp_path, finding) == ("OW205", "deployment.yaml", 13, 17)


def test_autoscaler_in_another_file_makes_it_an_error(tmp_path: Path) -> None:
    hpa = """\
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: open-webui
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: open-webui}
      minReplicas: 1
      maxReplicas: 4
    """
    found = check(tmp_path, {"deployment.yaml": deployment(replicas=None), "hpa.yaml": hpa})
    assert [(f.code, f.severity) for f in found] == [("OW205", Severity.ERROR)]
    assert "With 4 replicas" in found[0].full_message
    # An autoscaler in another namespace scales another Deployment.
    other = {"hpa.yaml": dedent(hpa).replace("  name: open-webui\nspec", "  name: open-webui\n  namespace: prod\nspec")}
    assert [(f.code, f.severity) for f in check(tmp_path, other)] == [("OW205", Severity.WARNING)]


# --- values as the kubelet builds them -----------------------------------------------------------


def test_literal_key_in_env_value_recommends_a_secret(tmp_path: Path) -> None:
    env = f"- name: WEBUI_SECRET_KEY\n  value: \"{STRONG}\"\n"
    (finding,) = check(tmp_path, {"deployment.yaml": deployment(env=env)})
    assert where(tmp_path, finding) == ("OW207", "deployment.yaml", 18, 23)
    assert "put it in a Secret and use `valueFrom.secretKeyRef`" in finding.message
    assert STRONG not in finding.full_message


def test_key_in_a_configmap_through_envfrom_prefix_is_literal(tmp_path: Path) -> None:
    configmap = f"""\
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: open-webui-config
    data:
      SECRET_KEY: {STRONG}
      JWT_EXPIRES_IN: 1mo
    """
    extra = """\
    envFrom:
      - prefix: WEBUI_
        configMapRef:
          name: open-webui-config
      - configMapRef:
          name: open-webui-config
    """
    found = check(tmp_path, {"deployment.yaml": deployment(extra=extra), "configmap.yaml": configmap})
    assert [where(tmp_path, f) for f in found] == [
        ("OW207", "configmap.yaml", 6, 15), ("OW102", "configmap.yaml", 7, 19), ("OW108", "configmap.yaml", 7, 19)]
    assert "ConfigMaps are readable by anyone who may read the namespace" in found[0].full_message
    assert "container 'open-webui'" in found[1].full_message


def test_env_wins_over_envfrom_and_the_last_duplicate_wins(tmp_path: Path) -> None:
    configmap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  JWT_EXPIRES_IN: 1mo\n"
    env = """\
    - name: JWT_EXPIRES_IN
      value: 3600
    - name: ENABLE_PERSISTENT_CONFIG
      value: "False"
    - name: JWT_EXPIRES_IN
      value: 4w
    """
    extra = "envFrom:\n  - configMapRef: {name: c}\n"
    found = check(tmp_path, {"deployment.yaml": deployment(env=env, extra=extra), "configmap.yaml": configmap})
    # The ConfigMap's 1mo and the first 3600 are both overridden: 4w is what Open WebUI reads.
    assert [where(tmp_path, f) for f in found] == [
        ("OW205", "deployment.yaml", 14, 17), ("OW002", "deployment.yaml", 21, 21)]
    assert found[1].full_message == ("JWT_EXPIRES_IN is set again for container 'open-webui' of Deployment 'open-webui', "
                                "first at line 17: Kubernetes keeps the last one, at line 21")


def test_dependent_variables_point_at_where_the_value_is_written(tmp_path: Path) -> None:
    env = """\
    - name: KEY
      valueFrom:
        secretKeyRef: {name: open-webui-secret, key: webui-secret-key}
    - name: WEBUI_SECRET_KEY
      value: $(KEY)
    - name: HOURS
      value: "12"
    - name: JWT_EXPIRES_IN
      value: $(HOURS)h$(MINUTES)
    """
    files = {"deployment.yaml": deployment(env=env), "secret.yaml": secret({"webui-secret-key": b64("changeme")})}
    found = check(tmp_path, files)
    assert [where(tmp_path, f) for f in found] == [
        ("OW102", "deployment.yaml", 25, 22), ("OW108", "deployment.yaml", 25, 22), ("OW201", "secret.yaml", 7, 21)]
    # $(MINUTES) is not defined, so Kubernetes leaves it as written: Open WebUI reads 12h and ignores the rest.
    assert "JWT_EXPIRES_IN='12h$(MINUTES)' is read as 12 hours" in found[0].full_message


def test_node_app_is_not_reported(tmp_path: Path) -> None:
    env = '- name: JWT_EXPIRES_IN\n  value: "3600"\n- name: JWT_EXPIRES_IN\n  value: "7200"\n'
    assert check(tmp_path, {"api.yaml": deployment("api", env, image="node:20-alpine", replicas=3)}) == []


def test_env_marker_makes_a_derived_image_open_webui(tmp_path: Path) -> None:
    """An image named after a web UI may be built FROM Open WebUI's: its variables decide."""
    env = '- name: WEBUI_URL\n  value: https://chat.example.org\n- name: JWT_EXPIRES_IN\n  value: "3600"\n'
    found = check(tmp_path, {"custom.yaml": deployment(env=env, image="registry.example.org/our-webui:1")})
    assert [where(tmp_path, f) for f in found] == [
        ("OW205", "custom.yaml", 14, 17), ("OW101", "custom.yaml", 20, 23), ("OW108", "custom.yaml", 20, 23)]


def test_another_apps_image_is_not_open_webui_whatever_its_variables(tmp_path: Path) -> None:
    env = '- name: WEBUI_URL\n  value: https://chat.example.org\n- name: JWT_EXPIRES_IN\n  value: "3600"\n'
    assert check(tmp_path, {"custom.yaml": deployment(env=env, image="registry.example.org/chat:1")}) == []


def test_template_values_are_unresolved(tmp_path: Path) -> None:
    env = ('- name: WEBUI_SECRET_KEY\n  value: {{ .Values.secretKey }}\n'
           '- name: JWT_EXPIRES_IN\n  value: "{{ .Values.ttl }}"\n')
    found = check(tmp_path, {"deployment.yaml": deployment(env=env)})
    assert [where(tmp_path, f) for f in found] == [
        ("OW209", "deployment.yaml", 18, 22), ("OW209", "deployment.yaml", 20, 23)]
    assert all("template expression" in f.full_message for f in found)


# --- kinds ------------------------------------------------------------------------------------


WORKLOADS = {
    "Pod": "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  containers:\n{c}",
    "DaemonSet": "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: w}\nspec:\n  selector: {}\n  template:\n"
                 "    spec:\n      containers:\n{c}",
    "ReplicaSet": "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: w}\nspec:\n  selector: {}\n  template:\n"
                  "    spec:\n      containers:\n{c}",
    "Job": "apiVersion: batch/v1\nkind: Job\nmetadata: {name: w}\nspec:\n  template:\n    spec:\n"
           "      containers:\n{c}",
    "CronJob": "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: w}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n"
               "    spec:\n      template:\n        spec:\n          containers:\n{c}",
}


@pytest.mark.parametrize("kind", sorted(WORKLOADS))
def test_every_workload_kind_inside_a_list(tmp_path: Path, kind: str) -> None:
    container = ("- name: webui\n  image: ghcr.io/open-webui/open-webui:main\n  env:\n"
                 "    - {name: WEBUI_SECRET_KEY, value: changeme}\n")
    template = WORKLOADS[kind]
    indent = " " * (template.index("containers:") - template.rindex("\n", 0, template.index("containers:")) + 1)
    body = template.replace("{c}", "\n".join(indent + line for line in container.splitlines()) + "\n")
    listed = "apiVersion: v1\nkind: List\nitems:\n" + "\n".join(
        ("  - " if number == 0 else "    ") + line for number, line in enumerate(body.splitlines())) + "\n"
    found = check(tmp_path, {"list.yaml": listed})
    assert [f.code for f in found] == ["OW201", "OW207"]
    assert f"{kind} 'w' container 'webui'" in found[0].full_message


def test_init_container_running_the_image_counts(tmp_path: Path) -> None:
    text = STATEFULSET.replace('          command: ["sh", "-c", "cp -R -n /app/backend/data/* /tmp/app-data/"]\n', "")
    found = check(tmp_path, {"statefulset.yaml": text})
    assert [where(tmp_path, f) for f in found] == [
        ("OW205", "statefulset.yaml", 13, 17), ("OW205", "statefulset.yaml", 16, 17)]


def test_chart_templates_are_skipped(tmp_path: Path) -> None:
    files = {"chart/Chart.yaml": "apiVersion: v2\nname: mine\nversion: 1.0.0\n",
             "chart/templates/deployment.yaml": deployment(replicas=3)}
    assert check(tmp_path, files) == []


# --- kustomize --------------------------------------------------------------------------------


def test_kustomize_overlays_sharing_a_key_and_patches(tmp_path: Path) -> None:
    patch = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: open-webui
    spec:
      replicas: 3
      template:
        spec:
          containers:
            - name: open-webui
              env:
                - name: JWT_EXPIRES_IN
                  value: "3600"
    """
    files = {
        "base/deployment.yaml": deployment(env=KEY_FROM_SECRET),
        "base/kustomization.yaml": "resources: [deployment.yaml]\n",
        "overlays/staging/kustomization.yaml": "namespace: staging\nresources: [../../base, secret.yaml]\n",
        "overlays/staging/secret.yaml": secret(string_data={"webui-secret-key": STRONG}),
        "overlays/prod/kustomization.yaml": "namespace: prod\nresources: [../../base, secret.yaml]\n"
                                            "patches: [{path: patch.yaml}]\n",
        "overlays/prod/secret.yaml": secret({"webui-secret-key": b64(STRONG)}),
        "overlays/prod/patch.yaml": patch,
    }
    found = check(tmp_path, files)
    assert [where(tmp_path, f) for f in found] == [
        ("OW101", "overlays/prod/patch.yaml", 13, 23),  # the patch's value, in the prod build
        ("OW108", "overlays/prod/patch.yaml", 13, 23),
        ("OW208", "overlays/prod/secret.yaml", 7, 21),
        ("OW208", "overlays/staging/secret.yaml", 7, 21),
    ]
    staging = f"Deployment 'staging/open-webui' container 'open-webui' (kustomize build {tmp_path}/overlays/staging)"
    prod = f"Deployment 'prod/open-webui' container 'open-webui' (kustomize build {tmp_path}/overlays/prod)"
    assert f"is also the key of {staging}" in found[2].full_message and f"Used by {prod}." in found[2].full_message
    assert f"is also the key of {prod}" in found[3].full_message
    assert "not found" not in "".join(f.full_message for f in found)
    assert STRONG not in "".join(f.full_message for f in found)


# --- podenv: the kubelet's expansion -------------------------------------------------------------


def env_of(text: str, find: podenv.Find | None = None) -> dict[str, Setting]:
    (root,) = load_documents(dedent(text), "pod.yaml")
    items = podenv.read_env(mapping_get(root, "env"), "pod.yaml")
    return podenv.resolve(items, [], find or (lambda kind, name: f"{kind} '{name}'"), "pod.yaml").settings


@pytest.mark.parametrize("value, expected", [
    ("$(A)-$(B)", "one-two"),
    ("$$(A)", "$(A)"),          # escaped
    ("$$$(A)", "$one"),
    ("$(LATER)", "$(LATER)"),   # defined after this entry: left as written
    ("$(UNDEFINED)x", "$(UNDEFINED)x"),
    ("$(A", "$(A"),             # unterminated
    ("cost $5", "cost $5"),
    ("end$", "end$"),
    ("$(A)$(A)", "oneone"),
])
def test_dependent_variable_expansion_matches_kubernetes(value: str, expected: str) -> None:
    settings = env_of(f"""\
    env:
      - {{name: A, value: one}}
      - {{name: B, value: two}}
      - name: X
        value: '{value}'
      - {{name: LATER, value: late}}
    """)
    assert settings["X"].value == expected


def test_empty_value_reads_value_from_and_an_absent_optional_key_sets_nothing() -> None:
    from validator.sources.kubernetes.objects import Resource

    resource = Resource("Secret", "s", "default", "secret.yaml", {})
    settings = env_of("""\
    env:
      - name: A
        value: ""
        valueFrom:
          secretKeyRef: {name: s, key: missing, optional: true}
      - name: B
    """, lambda kind, name: resource)
    assert "A" not in settings
    assert settings["B"].value == "" and settings["B"].literal


def test_read_manifests_skips_objects_named_by_templates() -> None:
    text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.name }}\nstringData: {A: b}\n"
    parsed = read_manifests("secret.yaml", load_documents(text, "secret.yaml"))
    assert parsed.kind == "kubernetes" and parsed.resources == [] and parsed.pending == []


MISSING_SEPARATOR = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: open-webui
  namespace: ai
spec:
  replicas: 1
  selector:
    matchLabels: {app: open-webui}
  template:
    metadata:
      labels: {app: open-webui}
    spec:
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:v0.12.4
          env:
            - name: WEBUI_SECRET_KEY
              value: t0p-s3cr3t
apiVersion: v1
kind: Service
metadata:
  name: open-webui
  namespace: ai
spec:
  selector: {app: open-webui}
  ports: [{port: 80, targetPort: 8080}]
"""


def test_a_missing_separator_is_reported_and_both_objects_are_read(tmp_path: Path) -> None:
    found = check(tmp_path, {"apps/open-webui.yaml": MISSING_SEPARATOR})
    rows = [(finding.code, finding.severity, finding.location.line) for finding in found]
    # Without the split PyYAML keeps the Service's keys: the Deployment and its public key vanish.
    assert ("OW201", Severity.ERROR, 19) in rows
    separator = [finding for finding in found if finding.code == "OW002"]
    assert len(separator) == 1 and separator[0].severity is Severity.ERROR and separator[0].location.line == 20
    assert separator[0].message == (
        "this document writes `apiVersion` again at line 20 (first at line 1): a `---` separator is probably "
        "missing before line 20; kubectl rejects the file, so each part was checked as its own object")


def test_three_objects_without_separators(tmp_path: Path) -> None:
    third = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  WEBUI_NAME: Chat\n"
    found = check(tmp_path, {"all.yaml": MISSING_SEPARATOR + third})
    assert [finding.location.line for finding in found if finding.code == "OW002"] == [20, 28]
    assert any(finding.code == "OW201" for finding in found)
