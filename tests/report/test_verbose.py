"""`--verbose` tells a reviewer what each deployment makes Open WebUI do."""

from __future__ import annotations

import secrets
from pathlib import Path


def test_verbose_shows_effective_key_lifetime_and_replicas(cli, tmp_path: Path, write) -> None:
    key = secrets.token_hex(32)
    write(tmp_path, {
        "app/compose.yaml": "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    scale: 2\n"
                        "    environment:\n      WEBUI_SECRET_KEY: ${KEY}\n      JWT_EXPIRES_IN: 12h\n",
        "app/.env": f"KEY={key}\n",
        "stored/.env": "WEBUI_URL=x\nJWT_EXPIRES_IN=2h\n",
        "stored/config-export.json": '{"auth.jwt_expiry": "30m"}\n',
    })
    result = cli("check", "--verbose", "--quiet", ".", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert lines[0] == "checked 4 file(s); Open WebUI deployments: 3"
    assert lines[1].startswith("  service 'webui' in app/compose.yaml: key WEBUI_SECRET_KEY (64 bytes, sha256 ")
    assert lines[1].endswith("at app/.env:1:5; token lifetime 12 hours; 2 replicas")
    # The stored setting wins over the file's 2h while persistent config is on.
    assert "  env file stored/.env: key none; token lifetime 30 minutes" in lines
    assert key not in result.stderr and key not in result.stdout
