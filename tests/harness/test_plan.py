"""Which key and lifetime the checks use per deployment: the model the rules read, from real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.harness import plan as plan_module
from validator.harness.plan import evaluate
from validator.settings.policy import Policy
from validator.report import tokens as text

CANARY = "c4n4ry-throwaway-key-0123456789abcdef0123456789"


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content)
    return str(path)


def only(report):  # type: ignore[no-untyped-def]
    assert len(report.environments) == 1
    return report.environments[0]


def statuses(env) -> list[str]:  # type: ignore[no-untyped-def]
    return [check.status for check in env.checks]


def test_configured_key_and_lifetime_are_taken_from_the_env_file(tmp_path: Path) -> None:
    key = "3f9d1c7b5a2e8f4d6c0b9a1e3d5f7c2b4a6e8d0c1f3b5d7a9c2e4f6b8d0a1c3e"
    path = write(tmp_path, "webui.env", f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=12h\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.name == f"env file {path}" and env.source == f"{path}:1:1"
    assert env.lifetime.model_dump() == {"jwt_expires_in": "12h", "source": f"JWT_EXPIRES_IN='12h' at {path}:2:16",
                                         "outcome": "lifetime", "seconds": 43200.0, "words": "12 hours"}
    assert env.key.origin == "configured" and env.key.variable == "WEBUI_SECRET_KEY"
    assert env.key.description == "64 bytes, sha256 " + __import__("hashlib").sha256(key.encode()).hexdigest()[:8]
    assert statuses(env) == ["pass"] * 7 and env.passed


def test_compose_service_of_the_official_image_without_key_gets_a_throwaway(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml",
                 "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n"
                 "    environment:\n      JWT_EXPIRES_IN: 1mo\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.key.origin == "throwaway"
    assert env.key.note == ("no key: the official image's start.sh generates a random key in each container; "
                            "the checks sign with a random throwaway key")
    assert env.lifetime.words == "1 minute (Open WebUI ignores 'o')" and env.lifetime.seconds == 60
    assert env.checks[0].detail.startswith("accepted; exp - iat = 60 s")
    assert env.passed


def test_old_release_without_key_signs_with_the_public_fallback(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml",
                 "services:\n  webui:\n    image: example/custom-webui:1\n"
                 "    environment:\n      WEBUI_URL: https://chat.example.com\n      JWT_EXPIRES_IN: 4w\n")
    env = only(evaluate([path], Policy(target_version="0.6.5"), 1))
    assert env.key.origin == "public-fallback"
    assert "Open WebUI 0.6.5 falls back to the public 't0p-s3cr3t'" in env.key.note
    assert (env.checks[5].status, env.checks[5].rule) == ("fail", "OW201")
    # The same file for 0.12.4: no fallback, a throwaway key, nothing forgeable.
    current = only(evaluate([path], Policy(), 1))
    assert current.key.origin == "throwaway" and current.checks[5].status == "pass"


def test_a_public_key_written_in_another_case_fails_forgery(tmp_path: Path) -> None:
    path = write(tmp_path, "webui.env", "WEBUI_SECRET_KEY=ChangeMe\nJWT_EXPIRES_IN=4w\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.key.origin == "configured" and env.key.note.endswith(": the publicly known key 'changeme'")
    assert (env.checks[5].status, env.checks[5].rule) == ("fail", "OW201") and not env.passed


def test_extra_public_keys_from_the_policy_are_forged_with(tmp_path: Path) -> None:
    key = "our-old-shared-demo-key-that-leaked-in-2024-0123456789"
    path = write(tmp_path, "webui.env", f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=4w\n")
    env = only(evaluate([path], Policy(known_default_keys=(key,)), 1))
    assert env.checks[5].status == "fail"


def test_template_keys_are_placeholders(tmp_path: Path) -> None:
    path = write(tmp_path, ".env.example", "WEBUI_SECRET_KEY=changeme\nJWT_EXPIRES_IN=4w\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.key.origin == "throwaway" and env.key.note.startswith("a template: its key is a placeholder")
    assert env.passed


def test_unresolved_values(tmp_path: Path) -> None:
    path = write(tmp_path, "compose.yaml",
                 "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n    environment:\n"
                 "      WEBUI_SECRET_KEY: ${KEY}\n      JWT_EXPIRES_IN: ${JWT}\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.lifetime.outcome == "unresolved" and env.lifetime.jwt_expires_in is None
    assert env.lifetime.source.startswith(f"JWT_EXPIRES_IN at {path}:6:23 cannot be resolved (")
    assert env.key.origin == "throwaway" and env.key.note.startswith("WEBUI_SECRET_KEY cannot be resolved (")
    assert statuses(env) == ["skip"] * 5 + ["pass", "pass"] and env.passed


def test_empty_key_fails_the_fresh_token(tmp_path: Path) -> None:
    path = write(tmp_path, "webui.env", "WEBUI_SECRET_KEY=\nJWT_EXPIRES_IN=4w\n")
    env = only(evaluate([path], Policy(), 1))
    assert env.key.origin == "throwaway"
    assert env.key.note.startswith(f"WEBUI_SECRET_KEY is set but empty at {path}:1:18: Open WebUI refuses to start")
    assert (env.checks[0].status, env.checks[0].rule) == ("fail", "OW202")
    assert statuses(env)[1:] == ["pass"] * 6


def test_unset_lifetime_uses_the_release_default(tmp_path: Path) -> None:
    path = write(tmp_path, "webui.env", "WEBUI_URL=https://chat.example.com\n")
    assert only(evaluate([path], Policy(), 1)).lifetime.source == "JWT_EXPIRES_IN is unset: Open WebUI 0.12.4 uses '4w'"
    old = only(evaluate([path], Policy(target_version="0.6.5"), 1))
    assert old.lifetime.outcome == "never" and old.checks[3].rule == "OW103"


def test_another_apps_env_file_is_not_an_environment(tmp_path: Path) -> None:
    path = write(tmp_path, ".env", "JWT_EXPIRES_IN=3600\nJWT_SECRET=x\n")
    report = evaluate([path], Policy(), 1)
    assert report.environments == [] and report.passed
    assert text.summary(report) == "No Open WebUI environment in 1 file."


def test_the_throwaway_key_never_appears_in_any_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "_throwaway", lambda: CANARY)
    path = write(tmp_path, "compose.yaml",
                 "services:\n  webui:\n    image: ghcr.io/open-webui/open-webui:main\n")
    report = evaluate([path], Policy(), 1)
    env = only(report)
    assert env.key.description.startswith(f"{len(CANARY)} bytes, sha256 ")
    rendered = "\n".join(text.environment(env)) + report.model_dump_json() + repr(report)
    assert CANARY not in rendered


def test_stored_setting_wins_over_the_environment_and_the_report_says_so(tmp_path: Path) -> None:
    env_path = write(tmp_path, ".env", "WEBUI_URL=https://chat.example.com\nJWT_EXPIRES_IN=2h\n")
    export = write(tmp_path, "config-export.json", '{\n  "auth.jwt_expiry": "30m"\n}\n')
    report = evaluate([str(tmp_path)], Policy(), 1)
    env = next(e for e in report.environments if e.name == f"env file {env_path}")
    assert env.lifetime.seconds == 1800.0 and env.lifetime.jwt_expires_in == "30m"
    assert env.lifetime.source == (f"the stored setting auth.jwt_expiry='30m' at {export}:2:23, which overrides "
                                   f"JWT_EXPIRES_IN='2h' at {env_path}:2:16 (persistent config is on)")
    assert statuses(env)[0] == "pass"


def test_environment_wins_when_persistent_config_is_off(tmp_path: Path) -> None:
    env_path = write(tmp_path, ".env", "WEBUI_URL=x\nJWT_EXPIRES_IN=2h\nENABLE_PERSISTENT_CONFIG=False\n")
    write(tmp_path, "config-export.json", '{"auth.jwt_expiry": "30m"}\n')
    env = next(e for e in evaluate([str(tmp_path)], Policy(), 1).environments if e.name == f"env file {env_path}")
    assert env.lifetime.seconds == 7200.0 and env.lifetime.source == f"JWT_EXPIRES_IN='2h' at {env_path}:2:16"


def test_a_44_character_key_fernet_refuses_fails_the_first_check(tmp_path: Path) -> None:
    key = "4e5aac4222dbeceefa066eb4ebd1237a3041a21095e1"  # `openssl rand -hex 22`: 33 bytes once decoded
    path = write(tmp_path, "webui.env", f"WEBUI_SECRET_KEY={key}\nJWT_EXPIRES_IN=12h\n")
    env = only(evaluate([path], Policy(), 1))
    first = env.checks[0]
    assert (first.status, first.rule) == ("fail", "OW210") and not env.passed
    assert first.detail.startswith("Open WebUI does not start: no tokens are issued (OAUTH_SESSION_TOKEN_ENCRYPTION_KEY")
    assert key not in first.detail
    # Before 0.6.27 nothing reads the key as a Fernet key: tokens are issued.
    assert only(evaluate([path], Policy(target_version="0.6.26"), 1)).checks[0].status == "pass"
    valid = write(tmp_path, "valid.env", "WEBUI_SECRET_KEY=q3mBdlfRR0rgmIbBYVk05b/EDxbsj4ZPFB5RxW8sUp0=\nJWT_EXPIRES_IN=12h\n")
    assert only(evaluate([valid], Policy(), 1)).passed
