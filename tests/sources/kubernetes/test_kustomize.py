"""kustomize builds through the whole check, on small GitOps trees: each overlay a deployment, values at
the line they are written, references followed through renames. Expected objects follow the output
`kustomize build` documents for each field (kubectl.docs.kubernetes.io, kustomization reference)."""

from __future__ import annotations

import os
from pathlib import Path
from textwrap import dedent

from validator import engine
from validator.findings import Finding

STRONG = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"
IMAGE = "ghcr.io/open-webui/open-webui"

DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: open-webui}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: open-webui}}}}
  template:
    metadata: {{labels: {{app: open-webui}}}}
    spec:
      containers:
        - name: open-webui
          image: {IMAGE}:v0.12.4
          env:
            - {{name: WEBUI_SECRET_KEY, valueFrom: {{secretKeyRef: {{name: owui-secret, key: WEBUI_SECRET_KEY}}}}}}
            - {{name: ENABLE_PERSISTENT_CONFIG, value: "False"}}
            - {{name: JWT_EXPIRES_IN, value: 12h}}
"""
BASE = {"base/deployment.yaml": DEPLOYMENT, "base/kustomization.yaml": "resources:\n  - deployment.yaml\n"}


def secret(key: str, name: str = "owui-secret") -> str:
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\nstringData:\n  WEBUI_SECRET_KEY: \"{key}\"\n"


def run(root: Path, files: dict[str, str], *paths: str) -> engine.Result:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dedent(text))
    return engine.check([str(root / path) for path in (paths or (".",))])


def where(root: Path, finding: Finding) -> tuple[str, str, int, int]:
    return (finding.code, os.path.relpath(finding.location.path, root), finding.location.line, finding.location.column)


def names(result: engine.Result) -> list[str]:
    return sorted(deployment.name.split(" (")[0] + " " + deployment.name.rsplit("/", 1)[-1]
                  for deployment in result.deployments)


def test_two_overlays_with_their_namespaces_share_a_key(tmp_path: Path) -> None:
    files = {**BASE}
    for overlay in ("staging", "prod"):
        files[f"overlays/{overlay}/kustomization.yaml"] = f"namespace: {overlay}\nresources:\n  - ../../base\n  - secret.yaml\n"
        files[f"overlays/{overlay}/secret.yaml"] = secret(STRONG)
    result = run(tmp_path, files)
    assert [where(tmp_path, f) for f in result.findings] == [
        ("OW208", "overlays/prod/secret.yaml", 6, 22), ("OW208", "overlays/staging/secret.yaml", 6, 22)]
    assert "not found" not in " ".join(f.full_message for f in result.findings)
    # the base is not a deployment of its own: one per overlay
    assert names(result) == ["Deployment 'prod/open-webui' container 'open-webui' prod)",
                             "Deployment 'staging/open-webui' container 'open-webui' staging)"]


def test_secret_generator_literal_is_reported_at_its_line(tmp_path: Path) -> None:
    files = {**BASE, "base/kustomization.yaml": dedent("""\
        resources:
          - deployment.yaml
        secretGenerator:
          - name: owui-secret
            literals:
              - WEBUI_SECRET_KEY=t0p-s3cr3t
        """)}
    result = run(tmp_path, files)
    assert [where(tmp_path, f) for f in result.findings] == [
        ("OW201", "base/kustomization.yaml", 6, 26), ("OW207", "base/kustomization.yaml", 6, 26)]


def test_env_file_generator_points_at_the_env_file_and_names_the_overlays(tmp_path: Path) -> None:
    files = {**BASE}
    for overlay in ("staging", "prod"):
        files[f"overlays/{overlay}/kustomization.yaml"] = dedent(f"""\
            namespace: {overlay}
            resources: [../../shared]
            """)
    files["shared/kustomization.yaml"] = dedent("""\
        resources: [../base]
        secretGenerator:
          - name: owui-secret
            envs: [secrets.env]
        """)
    files["shared/secrets.env"] = "# the key\nWEBUI_SECRET_KEY=changeme\n"
    result = run(tmp_path, files)
    found = [f for f in result.findings if f.code == "OW201"]
    assert [where(tmp_path, f) for f in found] == [("OW201", "shared/secrets.env", 2, 18)]
    assert "kustomize build" in found[0].full_message and "overlays/prod" in found[0].full_message \
        and "overlays/staging" in found[0].full_message
    # the env file is the generator's, not a deployment of its own
    assert all("env file" not in deployment.name for deployment in result.deployments)


def test_images_rewrite_the_container_image(tmp_path: Path) -> None:
    files = {**BASE, "base/secret.yaml": secret(STRONG),
             "base/kustomization.yaml": "resources: [deployment.yaml, secret.yaml]\n"}
    overlays = {
        "tag": "  - name: ghcr.io/open-webui/open-webui\n    newTag: v0.6.5\n",
        "name": "  - name: ghcr.io/open-webui/open-webui\n    newName: registry.example.internal/mirror/open-webui\n",
        "digest": "  - name: ghcr.io/open-webui/open-webui\n    digest: sha256:" + "a" * 64 + "\n",
    }
    for overlay, entry in overlays.items():
        files[f"{overlay}/kustomization.yaml"] = f"resources: [../base]\nimages:\n{entry}"
    result = run(tmp_path, files)
    images = {deployment.name.rsplit("/", 1)[-1].rstrip(")"): deployment.image for deployment in result.deployments}
    assert images == {
        "tag": f"{IMAGE}:v0.6.5",
        "name": "registry.example.internal/mirror/open-webui:v0.12.4",
        "digest": f"{IMAGE}@sha256:" + "a" * 64,
    }


def test_the_release_comes_from_the_image_kustomize_sets(tmp_path: Path) -> None:
    """`images: newTag` pins the release the overlay runs: an unset JWT_EXPIRES_IN on 0.6.5 never
    expires (OW109), while the base's v0.12.4 image gives 4 weeks and no finding."""
    files = {**BASE, "base/secret.yaml": secret(STRONG),
             "base/kustomization.yaml": "resources: [deployment.yaml, secret.yaml]\n",
             "base/deployment.yaml": DEPLOYMENT.replace("            - {name: JWT_EXPIRES_IN, value: 12h}\n", "")}
    files["old/kustomization.yaml"] = "resources: [../base]\nimages:\n  - name: ghcr.io/open-webui/open-webui\n    newTag: v0.6.5\n"
    files["new/kustomization.yaml"] = "resources: [../base]\n"
    result = run(tmp_path, files)
    releases = {d.name.rsplit("/", 1)[-1].rstrip(")"): (d.release, d.release_source) for d in result.deployments}
    assert releases["old"][0] == (0, 6, 5) and "v0.6.5" in releases["old"][1]
    assert releases["new"][0] == (0, 12, 4)
    (no_expiry,) = [f for f in result.findings if f.code == "OW109"]
    assert "old" in no_expiry.full_message and "kustomize build" in no_expiry.full_message
    assert f"{tmp_path}/new" not in no_expiry.full_message


def test_name_prefix_and_generator_hash_keep_references(tmp_path: Path) -> None:
    files = {**BASE, "overlay/kustomization.yaml": dedent(f"""\
        namePrefix: team-
        nameSuffix: -v2
        resources: [../base]
        secretGenerator:
          - name: owui-secret
            literals: [WEBUI_SECRET_KEY={STRONG}]
        """)}
    result = run(tmp_path, files)
    (deployment,) = result.deployments
    assert deployment.name.startswith("Deployment 'team-open-webui-v2' container 'open-webui'")
    assert deployment.settings["WEBUI_SECRET_KEY"].value == STRONG
    assert [f.code for f in result.findings] == ["OW207"]  # committed in the kustomization, nothing unresolved


def test_generator_merge_and_replicas_and_strategic_patch(tmp_path: Path) -> None:
    files = {**BASE, "base/kustomization.yaml": dedent("""\
        resources: [deployment.yaml]
        secretGenerator:
          - name: owui-secret
            literals: [WEBUI_SECRET_KEY=changeme, OTHER=x]
        """), "overlay/kustomization.yaml": dedent(f"""\
        resources: [../base]
        replicas:
          - name: open-webui
            count: 3
        secretGenerator:
          - name: owui-secret
            behavior: merge
            literals: [WEBUI_SECRET_KEY={STRONG}]
        patches:
          - path: lifetime.yaml
        """), "overlay/lifetime.yaml": dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: open-webui}
        spec:
          template:
            spec:
              containers:
                - name: open-webui
                  env: [{name: JWT_EXPIRES_IN, value: "3600"}]
        """)}
    result = run(tmp_path, files)
    (deployment,) = result.deployments
    assert deployment.replicas == 3 and deployment.settings["WEBUI_SECRET_KEY"].value == STRONG
    assert [where(tmp_path, f)[:3] for f in result.findings if f.code == "OW101"] == [
        ("OW101", "overlay/lifetime.yaml", 9)]
    assert not any(f.code == "OW201" for f in result.findings)  # the merge replaced the public key


def test_json6902_patch_and_component(tmp_path: Path) -> None:
    files = {**BASE, "base/secret.yaml": secret(STRONG),
             "base/kustomization.yaml": "resources: [deployment.yaml, secret.yaml]\n",
             "components/short/kustomization.yaml": dedent("""\
                 apiVersion: kustomize.config.k8s.io/v1alpha1
                 kind: Component
                 patches:
                   - target: {kind: Deployment, name: open-webui}
                     patch: |-
                       - op: replace
                         path: /spec/template/spec/containers/0/env/2
                         value: {name: JWT_EXPIRES_IN, value: 1mo}
                       - op: replace
                         path: /spec/replicas
                         value: 2
                 """),
             "overlay/kustomization.yaml": "resources: [../base]\ncomponents: [../components/short]\n"}
    result = run(tmp_path, files)
    (deployment,) = result.deployments
    assert deployment.replicas == 2 and deployment.settings["JWT_EXPIRES_IN"].value == "1mo"
    assert ("OW102", "components/short/kustomization.yaml", 8, 40) in [where(tmp_path, f) for f in result.findings]


def test_remote_resource_is_ow209_and_a_missing_one_ow001(tmp_path: Path) -> None:
    files = {**BASE, "overlay/kustomization.yaml": dedent("""\
        resources:
          - ../base
          - https://github.com/example/platform//secrets?ref=v1
          - missing.yaml
        """)}
    result = run(tmp_path, files)
    found = [where(tmp_path, f) for f in result.findings]
    assert ("OW209", "overlay/kustomization.yaml", 3, 5) in found
    assert ("OW001", "overlay/kustomization.yaml", 4, 5) in found


def test_changing_only_the_overlay_file_builds_from_its_base(tmp_path: Path) -> None:
    """pre-commit passes the changed file alone: the base is read as context."""
    files = {**BASE, "overlay/kustomization.yaml": "resources: [../base]\nsecretGenerator:\n"
                                                  "  - name: owui-secret\n    literals: [WEBUI_SECRET_KEY=changeme]\n"}
    result = run(tmp_path, files, "overlay/kustomization.yaml")
    assert [where(tmp_path, f)[:2] for f in result.findings] == [
        ("OW201", "overlay/kustomization.yaml"), ("OW207", "overlay/kustomization.yaml")]
