"""Pairing outside kustomize: same file, else same directory, else the nearest project holding the
object alone; ambiguity is OW209 naming the candidates, never a cross product."""

from __future__ import annotations

import os
from pathlib import Path

from validator import engine

STRONG = "9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"
OTHER = "0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a9f2c1e7a4b6d8f0a3c5e7b9d1f3a5c7e"


def objects(key: str, *, deployment: bool = True, secret: bool = True) -> str:
    docs = []
    if secret:
        docs.append(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: owui-secret\nstringData:\n"
                    f"  WEBUI_SECRET_KEY: \"{key}\"\n")
    if deployment:
        docs.append("""apiVersion: apps/v1
kind: Deployment
metadata:
  name: open-webui
spec:
  selector: {matchLabels: {app: open-webui}}
  template:
    spec:
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:v0.12.4
          env:
            - {name: ENABLE_PERSISTENT_CONFIG, value: "False"}
            - {name: JWT_EXPIRES_IN, value: 12h}
            - name: WEBUI_SECRET_KEY
              valueFrom: {secretKeyRef: {name: owui-secret, key: WEBUI_SECRET_KEY}}
""")
    return "---\n".join(docs)


def run(root: Path, files: dict[str, str]) -> engine.Result:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return engine.check([str(root)])


def test_two_projects_reusing_names_are_two_deployments(tmp_path: Path) -> None:
    result = run(tmp_path, {"acme/app/all.yaml": objects(STRONG), "globex/app/all.yaml": objects(OTHER)})
    keys = {os.path.relpath(d.location.path, tmp_path): d.settings["WEBUI_SECRET_KEY"] for d in result.deployments}
    assert len(result.deployments) == 2
    assert {path: (setting.value, os.path.relpath(setting.location.path, tmp_path)) for path, setting in keys.items()} \
        == {"acme/app/all.yaml": (STRONG, "acme/app/all.yaml"), "globex/app/all.yaml": (OTHER, "globex/app/all.yaml")}
    assert result.findings == []


def test_the_nearest_project_holding_the_secret_alone(tmp_path: Path) -> None:
    files = {"acme/app/k8s/deployment.yaml": objects(STRONG, secret=False),
             "acme/app/secrets/secret.yaml": objects(STRONG, deployment=False),
             "globex/app/k8s/deployment.yaml": objects(OTHER, secret=False),
             "globex/app/secrets/secret.yaml": objects(OTHER, deployment=False)}
    result = run(tmp_path, files)
    values = sorted((os.path.relpath(d.location.path, tmp_path), d.settings["WEBUI_SECRET_KEY"].value)
                    for d in result.deployments)
    assert values == [("acme/app/k8s/deployment.yaml", STRONG), ("globex/app/k8s/deployment.yaml", OTHER)]


def test_equally_near_candidates_are_ow209_naming_them(tmp_path: Path) -> None:
    files = {"app/k8s/deployment.yaml": objects(STRONG, secret=False),
             "app/staging/secret.yaml": objects(STRONG, deployment=False),
             "app/prod/secret.yaml": objects(OTHER, deployment=False)}
    result = run(tmp_path, files)
    assert len(result.deployments) == 1
    (finding,) = result.findings
    assert finding.code == "OW209" and "app/staging/secret.yaml" in finding.full_message \
        and "app/prod/secret.yaml" in finding.full_message
    assert STRONG not in finding.full_message and OTHER not in finding.full_message
