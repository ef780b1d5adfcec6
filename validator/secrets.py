"""How a secret may be mentioned: by length and a short fingerprint, never by value."""

from __future__ import annotations


def fingerprint(value: str) -> str:
    """First 8 hex digits of the value's SHA-256: enough to tell keys apart, useless to an attacker."""
    import hashlib  # only when a finding names a value: OpenSSL's start-up is not free

    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def describe(value: str) -> str:
    """`32 bytes, sha256 1a2b3c4d`: the only way a key appears in output."""
    return f"{len(value.encode('utf-8', 'surrogatepass'))} bytes, sha256 {fingerprint(value)}"


def scrub(text: str, secrets: list[str] | tuple[str, ...]) -> str:
    """Remove secret values from text we did not write ourselves (parser errors quote lines)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, "<redacted>")
    return text
