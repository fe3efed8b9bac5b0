"""The complainant's verification code (查询码) for the public case-status lookup, stored only as a digest.

Why a keyed HMAC-SHA256 and not ``make_password``: the code is random (8 characters from a 31-letter
alphabet, about 40 bits), so its strength comes from the key, not from slow stretching — a database copy
alone cannot be brute-forced without ``SECRET_KEY``. A PBKDF2 hash per filing would cost hundreds of
milliseconds each and make bulk filing by agents (thousands of rows) unusable. The digest binds the code to
the case number, so equal codes on two cases do not show as equal digests. Codes made under a previous
``SECRET_KEY`` still match while it is listed in ``SECRET_KEY_FALLBACKS``.

The plain code exists only in the response to the filing (or to a regeneration); it is never stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SALT = "zhibao.cases.verification_code"
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(LENGTH))


def digest(number: str, code: str, *, secret: str | None = None) -> str:
    """Hex HMAC-SHA256 of ``number:code`` (both normalised to upper case) under the project's secret key."""
    message = f"{(number or '').strip().upper()}:{(code or '').strip().upper()}"
    return salted_hmac(_SALT, message, secret=secret or settings.SECRET_KEY, algorithm="sha256").hexdigest()


def matches(number: str, code: str, stored: str) -> bool:
    """Constant-time check of ``code`` against the stored digest (current key, then the fallback keys)."""
    if not stored or not (code or "").strip():
        return False
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(digest(number, code, secret=key), stored) for key in keys)
