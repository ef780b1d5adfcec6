"""A corpus of weak keys as they are written in real files, and random keys generated here.

Every placeholder must be OW201 (named by its family, never quoted), every weak key must get at
least one of OW201/OW203/OW204, and no random key may get any of them. The counts per rule are
printed (`pytest -s`) for the record.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections import Counter

from validator.openwebui.fernet import refusal
from validator.rules import secret_key

# Placeholders by family, shaped like the values in .env.example files, compose snippets and guides.
INSTRUCTIONS = [
    "change-this-to-a-random-secret-key", "your-secret-key-change-this", "change-me-to-a-random-string",
    "CHANGE_ME_IN_PRODUCTION", "changethis", "please-change-this-secret", "replace-with-your-own-secret",
    "replace_me_with_a_real_key", "your-webui-secret-key-here", "your_jwt_secret_key", "YourSecretKeyHere",
    "put-your-secret-here", "put_a_long_random_string_here", "insert-random-string-here", "insert_your_key",
    "enter-your-secret-key", "<your-secret-key>", "<generate with openssl>", "[your secret key]",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "XXXX-XXXX-XXXX-XXXX", "secret-key-goes-here", "ChangeMe!",
    "change-it-now-please",
]
COMMANDS = [
    "$(openssl rand -base64 32)", "$(openssl rand -hex 32)", "`openssl rand -hex 32`",
    "$(head -c 32 /dev/urandom | base64)", "openssl rand -base64 32", "$(pwgen -s 64 1)", "$(uuidgen)",
    "$(cat /dev/urandom | tr -dc a-z0-9 | head -c 48)",
]
SUFFIXED = [
    "supersecretkey123", "mysecretkey!", "secret-key-for-my-app", "supersecret-webui", "my-secret-key-2025",
    "webui-secret-key-prod", "super-secret-key-0001", "secretkey_homelab",
]
WORDS = [
    "mysecret2024", "adminpassword1", "webuisecret!", "jwtsecret123", "TopSecret42", "session-secret-2024",
    "AuthToken99", "defaultpassword", "thesecretkey", "appsecret2025",
]
PLACEHOLDERS = INSTRUCTIONS + COMMANDS + SUFFIXED + WORDS
# Weak in other ways: patterns, words (CamelCase too), published values.
OTHER_WEAK = [
    "OpenWebUISecretKey2024!OpenWebUISecretKey", "TheQuickBrownFoxJumpsOverTheLazyDog2024",
    "thequickbrownfoxjumpsoverthelazydog2024", "a" * 40, "abcdefghijklmnopqrstuvwxyz0123456789",
    "qwertyuiopasdfghjklzxcvbnm1234567890", "12345678901234567890123456789012", "CorrectHorseBatteryStaple2024",
    "HomeLabOpenWebUIProductionSecret2025", "t0p-s3cr3t", "changeme", "Xk29sLq0pR", "passwordpassword",
]
WEAK = PLACEHOLDERS + OTHER_WEAK
STRENGTH_RULES = ("OW201", "OW203", "OW204")


def random_keys() -> list[str]:
    """How people generate keys: openssl rand -hex / -base64, Python's secrets, base64 of urandom."""
    keys = []
    for _ in range(8):
        keys += [
            secrets.token_urlsafe(32), secrets.token_urlsafe(48), secrets.token_hex(32), secrets.token_hex(16),
            base64.b64encode(os.urandom(32)).decode(),  # openssl rand -base64 32: a valid Fernet key
            base64.b64encode(os.urandom(48)).decode(), base64.urlsafe_b64encode(os.urandom(33)).decode(),
            base64.b64encode(os.urandom(24)).decode(), secrets.token_urlsafe(64),
        ]
    return keys


def codes(subject, value: str) -> list[str]:
    return [finding.code for finding in secret_key.check(subject({"WEBUI_SECRET_KEY": value}))]


def test_weak_and_random_key_corpus(subject) -> None:
    randoms = random_keys()
    assert len(WEAK) >= 60 and len(randoms) >= 60
    weak_counts: Counter[str] = Counter()
    for value in WEAK:
        found = codes(subject, value)
        weak_counts.update(found)
        assert set(found) & set(STRENGTH_RULES), value
        if value in PLACEHOLDERS:
            assert "OW201" in found, value
    random_counts: Counter[str] = Counter()
    for value in randoms:
        found = codes(subject, value)
        random_counts.update(found)
        assert found == (["OW210"] if refusal(value) else []), (len(value), found)
    print(f"\nweak keys: {len(WEAK)} ({len(PLACEHOLDERS)} placeholders), findings {dict(sorted(weak_counts.items()))}")
    print(f"random keys: {len(randoms)}, findings {dict(sorted(random_counts.items()))} "
          f"(OW210 only for the 44-character unpadded ones)")
    assert random_counts["OW210"] == 8


def test_families_are_named_and_values_never_quoted(subject) -> None:
    expected = {"an instruction placeholder": INSTRUCTIONS, "a shell command written literally": COMMANDS,
                "a known placeholder with digits or words added": SUFFIXED,
                "the word secret, password or key with digits": WORDS}
    for family, values in expected.items():
        for value in values:
            found = list(secret_key.check(subject({"WEBUI_SECRET_KEY": value})))
            public = [finding for finding in found if finding.code == "OW201"]
            assert len(public) == 1, value
            message = public[0].message
            if family not in message:
                # A value that fits an earlier family is named by that one; it still must be a family.
                assert any(other in message for other in expected), (value, message)
            advice_removed = message.replace("`openssl rand -hex 32`", "")
            assert value not in advice_removed and value.strip("<>[]$()`") not in advice_removed


def test_hostile_values_cost_linear_time(subject) -> None:
    import time

    from validator.openwebui.keys import placeholder_family

    started = time.process_time()
    for value in ("`cat " * 51, "$(cat " * 51, "your-" * 51, "x" * 255 + "1", "`cat " * 200_000):
        placeholder_family(value)
    assert time.process_time() - started < 0.5
