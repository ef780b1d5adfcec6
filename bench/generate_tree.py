"""Write a deterministic tree of realistic deployment files for the benchmark.

    python bench/generate_tree.py OUT --files 2000 [--seed 8] [--shape apps|tenants]

Each "app" directory holds what a team deploying Open WebUI commits: a `.env` (with `export`,
single and double quotes, comments and `${VAR}` interpolation), a compose file using `env_file`
(its own `.env` and a shared env file) and interpolation, multi-document Kubernetes manifests (a
Secret, a ConfigMap, Deployments, a Service, an autoscaler; some padded with other workloads up to
200 KB, as generated manifests are) and the values and Chart.yaml of the open-webui Helm chart.
Some apps are not Open WebUI at all, and some settings are wrong, as in real repositories.

`--shape tenants` writes a GitOps repository instead: hundreds of projects under `teams/<team>/`
that all call their objects the same (`open-webui`, `owui-secret`, `owui-config`), some as a
kustomize base with `staging` and `prod` overlays (namespaces set in the kustomizations, a Secret
or a `secretGenerator` each), and about 8% of the manifests rendered multi-tenant bundles of
50-210 KB (about 15 Deployments and 14 Secrets, one namespace per tenant).
The same seed and file count give the same bytes on every machine (nothing depends on time,
locale or the order a directory lists in). Prints the number of files and bytes written.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import sys

MAX_MANIFEST_BYTES = 200 * 1024
_EXPIRIES = ["4w", "4w", "2w", "12h", "1h30m", "7d", "-1", "3600", "1mo", "0s", "1.5h"]
_WORDS = ["alpha", "bravo", "delta", "echo", "kilo", "lima", "oscar", "sierra", "tango", "zulu"]
_EXTRA_ENV = [
    ("OLLAMA_BASE_URL", "http://ollama:11434"), ("ENABLE_SIGNUP", "false"), ("DEFAULT_USER_ROLE", "pending"),
    ("ENABLE_OPENAI_API", "false"), ("LOG_LEVEL", "INFO"), ("TZ", "Europe/Berlin"), ("WEBUI_NAME", "Team Chat"),
    ("ENABLE_COMMUNITY_SHARING", "false"), ("RAG_EMBEDDING_MODEL", "sentence-transformers/all-MiniLM-L6-v2"),
    ("CORS_ALLOW_ORIGIN", "https://chat.example.internal"), ("ENABLE_OAUTH_SIGNUP", "true"),
    ("OAUTH_CLIENT_ID", "owui-client"), ("OPENID_PROVIDER_URL", "https://sso.example.internal/.well-known"),
]


# What other workloads set: nothing Open WebUI reads.
_APP_ENV = [("PORT", "8080"), ("NODE_ENV", "production"), ("REDIS_URL", "redis://redis:6379/0"),
            ("QUEUE", "default"), ("WORKERS", "4"), ("S3_BUCKET", "team-artifacts"), ("FEATURE_FLAGS", "a,b,c"),
            ("SENTRY_ENVIRONMENT", "prod"), ("HTTP_TIMEOUT", "30")]


class App:
    """One deployment directory: its name, and the choices every file of it agrees on."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.name = f"app-{index:04d}"
        self.openwebui = rng.random() < 0.8
        self.expiry = rng.choice(_EXPIRIES)
        self.key = rng.randbytes(32).hex() if rng.random() < 0.85 else rng.choice(["t0p-s3cr3t", "changeme", ""])
        self.replicas = rng.choice([1, 1, 1, 2, 3])

    def env_lines(self, count: int) -> list[str]:
        rng = self.rng
        lines = [f"# {self.name}: settings for {'Open WebUI' if self.openwebui else 'the API'}", ""]
        if self.openwebui:
            lines += [f"export WEBUI_URL=\"https://{self.name}.example.internal\"",
                      f"WEBUI_SECRET_KEY='{self.key}'",
                      f"JWT_EXPIRES_IN={self.expiry}  # session lifetime"]
        else:
            lines += [f"JWT_EXPIRES_IN={rng.choice(['3600', '86400'])}", f"JWT_SECRET={rng.randbytes(16).hex()}"]
        lines.append('DATABASE_URL="postgresql://owui:${DB_PASSWORD}@db:5432/owui?sslmode=require"')
        for position in range(count):
            name, value = _EXTRA_ENV[position % len(_EXTRA_ENV)]
            suffix = f"_{position // len(_EXTRA_ENV)}" if position >= len(_EXTRA_ENV) else ""
            style = rng.randrange(4)
            if style == 0:
                lines.append(f"{name}{suffix}={value}")
            elif style == 1:
                lines.append(f'export {name}{suffix}="{value}"')
            elif style == 2:
                lines.append(f"{name}{suffix}='{value}'")
            else:
                lines.append(f"{name}{suffix}={value} # {rng.choice(_WORDS)}")
        return lines

    def dotenv(self) -> str:
        return "\n".join(self.env_lines(self.rng.randint(8, 40))) + "\n"

    def compose(self) -> str:
        rng = self.rng
        image = "ghcr.io/open-webui/open-webui:${WEBUI_TAG:-main}" if self.openwebui else "node:20-alpine"
        services = [f"""  {'open-webui' if self.openwebui else 'api'}:
    image: {image}
    restart: unless-stopped
    env_file:
      - .env
      - path: ../shared/common.env
        required: false
    environment:
      JWT_EXPIRES_IN: ${{JWT_EXPIRES_IN:-4w}}
      WEBUI_SECRET_KEY: ${{WEBUI_SECRET_KEY:?set it in .env}}
      DATABASE_URL: postgresql://owui:${{DB_PASSWORD}}@db:5432/owui
    ports:
      - "{3000 + rng.randrange(1000)}:8080"
    volumes:
      - data:/app/backend/data
    deploy:
      replicas: {self.replicas}
    depends_on: [db]
"""]
        services.append(f"""  db:
    image: postgres:16
    environment:
      - POSTGRES_USER=owui
      - POSTGRES_PASSWORD=${{DB_PASSWORD}}
      - POSTGRES_DB=owui
    volumes:
      - db:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U owui"]
      interval: {rng.randint(5, 30)}s
""")
        if rng.random() < 0.5:
            services.append("""  ollama:
    image: ollama/ollama:latest
    volumes:
      - ollama:/root/.ollama
""")
        return (f"# {self.name}: docker compose up -d\nname: {self.name}\nservices:\n" + "".join(services)
                + "volumes:\n  data: {}\n  db: {}\n  ollama: {}\n")

    def manifests(self, target: int, main: bool = True) -> str:
        """Multi-document manifests of about `target` bytes: Open WebUI first (in the main file),
        other workloads after."""
        rng = self.rng
        secret = base64.b64encode(self.key.encode()).decode()
        docs = [f"""apiVersion: v1
kind: Secret
metadata:
  name: {self.name}-secret
  namespace: {self.name}
type: Opaque
data:
  webui-secret-key: {secret}
""", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {self.name}-config
  namespace: {self.name}
data:
  jwt-expires-in: "{self.expiry}"
  log-level: INFO
""", self._workload("open-webui", "ghcr.io/open-webui/open-webui:v0.12.4" if self.openwebui else "node:20",
                   self.replicas), f"""apiVersion: v1
kind: Service
metadata:
  name: {self.name}
  namespace: {self.name}
spec:
  selector: {{app: {self.name}}}
  ports:
    - port: 80
      targetPort: 8080
"""]
        if not main:
            docs = []
        elif self.replicas == 1 and rng.random() < 0.3:
            docs.append(f"""apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {self.name}-open-webui
  namespace: {self.name}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: {self.name}-open-webui}}
  minReplicas: 1
  maxReplicas: {rng.randint(2, 6)}
""")
        size = sum(len(doc) for doc in docs)
        worker = 0
        while size < target:
            role = f"{'worker' if main else 'job'}-{worker}"
            doc = self._workload(role, f"registry.example.internal/{rng.choice(_WORDS)}:1.{worker}", 1)
            docs.append(doc)
            size += len(doc) + 4
            worker += 1
        return f"# {self.name}: kubectl apply -f .\n" + "---\n".join(docs)

    def _workload(self, role: str, image: str, replicas: int) -> str:
        """A workload; only the Open WebUI one takes the key and lifetime from the Secret and ConfigMap."""
        rng = self.rng
        auth = f"""            - name: WEBUI_SECRET_KEY
              valueFrom:
                secretKeyRef: {{name: {self.name}-secret, key: webui-secret-key}}
            - name: JWT_EXPIRES_IN
              valueFrom:
                configMapKeyRef: {{name: {self.name}-config, key: jwt-expires-in}}
""" if role == "open-webui" else f"""            - name: JWT_EXPIRES_IN
              value: "{rng.choice(['3600', '86400', '900'])}"
"""
        pool = _EXTRA_ENV if role == "open-webui" else _APP_ENV
        env = "".join(f"""            - name: {name}
              value: "{value}"
""" for name, value in rng.sample(pool, rng.randint(3, 9)))
        return f"""apiVersion: apps/v1
kind: {rng.choice(['Deployment', 'Deployment', 'StatefulSet'])}
metadata:
  name: {self.name}-{role}
  namespace: {self.name}
  labels: {{app: {self.name}, role: {role}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {self.name}, role: {role}}}
  template:
    metadata:
      labels: {{app: {self.name}, role: {role}}}
    spec:
      containers:
        - name: {role}
          image: {image}
          env:
{auth}{env}          resources:
            requests: {{cpu: 100m, memory: {rng.choice([256, 512, 1024])}Mi}}
            limits: {{memory: 2Gi}}
          readinessProbe:
            httpGet: {{path: /health, port: 8080}}
"""

    def helm_values(self) -> str:
        rng = self.rng
        extra = "".join(f"    - name: {name}\n      value: \"{value}\"\n"
                        for name, value in rng.sample(_EXTRA_ENV, rng.randint(2, 8)))
        return f"""# {self.name}: helm upgrade --install webui . -f values.yaml
webui:
  replicaCount: {self.replicas}
  image:
    repository: ghcr.io/open-webui/open-webui
    tag: v0.12.4
  ollama:
    enabled: {str(rng.random() < 0.3).lower()}
  pipelines:
    enabled: false
  persistence:
    enabled: true
    size: {rng.choice([2, 10, 50])}Gi
  extraEnvVars:
    - name: JWT_EXPIRES_IN
      value: "{self.expiry}"
    - name: WEBUI_SECRET_KEY
      valueFrom:
        secretKeyRef: {{name: {self.name}-secret, key: webui-secret-key}}
{extra}"""

    def chart(self) -> str:
        return f"""apiVersion: v2
name: {self.name}
version: 1.0.{self.rng.randrange(50)}
dependencies:
  - name: open-webui
    version: ">=6.0.0"
    repository: https://helm.openwebui.com
    alias: webui
"""


def manifest_size(rng: random.Random) -> int:
    """Mostly a few KB, sometimes large: a long-tailed size, capped at 200 KB."""
    return min(MAX_MANIFEST_BYTES, int(rng.paretovariate(1.3) * 5000))


def files_of(app: App) -> list[tuple[str, str]]:
    rng = app.rng
    files = [(".env", app.dotenv()), ("compose.yaml", app.compose()),
             ("k8s/open-webui.yaml", app.manifests(manifest_size(rng)))]
    if rng.random() < 0.5:
        files.append(("k8s/jobs.yaml", app.manifests(manifest_size(rng), main=False)))
    files += [("helm/values.yaml", app.helm_values()), ("helm/Chart.yaml", app.chart())]
    return files


class Tenant(App):
    """A project of a GitOps repository: its objects have the names every other project uses."""

    def __init__(self, rng: random.Random, index: int) -> None:
        super().__init__(rng, index)
        self.openwebui = True
        self.team = f"team-{index % 40:02d}"

    def objects(self, namespace: str | None, key: str) -> list[str]:
        """The Secret, ConfigMap and Deployment of one Open WebUI, by the names every project uses."""
        where = f"\n  namespace: {namespace}" if namespace else ""
        env = "".join(f"""            - name: {name}
              value: "{value}"
""" for name, value in self.rng.sample(_EXTRA_ENV, self.rng.randint(3, 9)))
        return [f"""apiVersion: v1
kind: Secret
metadata:
  name: owui-secret{where}
type: Opaque
stringData:
  webui-secret-key: "{key}"
""", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: owui-config{where}
data:
  jwt-expires-in: "{self.expiry}"
""", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: open-webui{where}
spec:
  replicas: {self.replicas}
  selector:
    matchLabels: {{app: open-webui}}
  template:
    metadata:
      labels: {{app: open-webui}}
    spec:
      containers:
        - name: open-webui
          image: ghcr.io/open-webui/open-webui:v0.12.4
          env:
            - name: WEBUI_SECRET_KEY
              valueFrom:
                secretKeyRef: {{name: owui-secret, key: webui-secret-key}}
            - name: JWT_EXPIRES_IN
              valueFrom:
                configMapKeyRef: {{name: owui-config, key: jwt-expires-in}}
{env}          readinessProbe:
            httpGet: {{path: /health, port: 8080}}
"""]

    def bundle(self) -> str:
        """A rendered multi-tenant bundle: 15 tenants of one Open WebUI each (one without its Secret),
        padded with other workloads to 50-210 KB."""
        rng = self.rng
        docs: list[str] = []
        for tenant in range(15):
            objects = self.objects(f"tenant-{tenant:02d}", rng.randbytes(24).hex())
            docs += objects[1:] if tenant == 14 else objects
        target = rng.randint(50, 210) * 1024
        size = sum(len(doc) for doc in docs)
        worker = 0
        while size < target:
            doc = self._workload(f"worker-{worker}", f"registry.example.internal/{rng.choice(_WORDS)}:1.{worker}", 1)
            docs.append(doc)
            size += len(doc) + 4
            worker += 1
        return f"# {self.name}: rendered by CI, kubectl apply -f bundle.yaml\n" + "---\n".join(docs)

    def kustomized(self) -> list[tuple[str, str]]:
        """A base and two overlays, each overlay with its namespace and its own key."""
        base = self.objects(None, "unused")[1:]
        files = [("deploy/base/kustomization.yaml", "resources:\n  - deployment.yaml\n  - config.yaml\n"),
                 ("deploy/base/deployment.yaml", base[1]), ("deploy/base/config.yaml", base[0])]
        for overlay in ("staging", "prod"):
            key = self.rng.randbytes(32).hex()
            resources = "  - ../../base\n"
            if self.rng.random() < 0.5:
                files.append((f"deploy/overlays/{overlay}/secret.yaml", self.objects(None, key)[0]))
                resources += "  - secret.yaml\n"
                generator = ""
            else:
                files.append((f"deploy/overlays/{overlay}/secrets.env", f"webui-secret-key={key}\n"))
                generator = "secretGenerator:\n  - name: owui-secret\n    envs:\n      - secrets.env\n"
            kustomization = (f"namespace: {self.name}-{overlay}\nresources:\n{resources}images:\n"
                             f"  - name: ghcr.io/open-webui/open-webui\n    newTag: v0.12.{self.rng.randint(0, 4)}\n"
                             + generator)
            files.append((f"deploy/overlays/{overlay}/kustomization.yaml", kustomization))
        return files


def tenant_files(project: Tenant) -> list[tuple[str, str]]:
    rng = project.rng
    files = [(".env", project.dotenv()), ("compose.yaml", project.compose())] if rng.random() < 0.4 else []
    roll = rng.random()
    if roll < 0.25:
        files += project.kustomized()
    elif roll < 0.45:
        files.append(("k8s/bundle.yaml", project.bundle()))
    else:
        namespace = project.name if rng.random() < 0.5 else None
        files.append(("k8s/all.yaml", "---\n".join(project.objects(namespace, project.key))))
    return files


def generate(out: str, count: int, seed: int = 8, shape: str = "apps") -> tuple[int, int]:
    """Write `count` files under `out`; returns (files, bytes)."""
    rng = random.Random(seed)
    written: list[tuple[str, str]] = [("shared/common.env", "# shared by every compose project\nTZ=UTC\n"
                                       "export LOG_LEVEL=\"INFO\"\nENABLE_SIGNUP='false'\n")]
    index = 0
    while len(written) < count:
        if shape == "tenants":
            project = Tenant(random.Random(rng.getrandbits(64)), index)
            written += [(os.path.join("teams", project.team, project.name, name), text)
                        for name, text in tenant_files(project)]
        else:
            app = App(random.Random(rng.getrandbits(64)), index)
            written += [(os.path.join(app.name, name), text) for name, text in files_of(app)]
        index += 1
    total = 0
    for relative, text in written[:count]:
        path = os.path.join(out, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        total += len(text.encode("utf-8"))
    return min(count, len(written)), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="directory to write into (created)")
    parser.add_argument("--files", type=int, default=200, help="how many files (default: 200)")
    parser.add_argument("--seed", type=int, default=8, help="random seed (default: 8)")
    parser.add_argument("--shape", choices=("apps", "tenants"), default="apps",
                        help="one app per directory, or a GitOps repository of tenants (default: apps)")
    args = parser.parse_args(argv)
    files, size = generate(args.out, args.files, args.seed, args.shape)
    print(f"{args.out}: {files} files, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
