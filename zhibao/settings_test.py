"""Settings for the test suite: the production settings with a throwaway key and fast hashing.

Tests run with DEBUG off (as production) and never need an environment set
up by hand; DATABASE_URL still selects PostgreSQL when given.
"""

import os

os.environ.setdefault("ZHIBAO_SECRET_KEY", "insecure-test-only-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ZHIBAO_TESTING", "1")
os.environ.setdefault("ZHIBAO_DATA_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from zhibao.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# WhiteNoise warns on every request when STATIC_ROOT is missing; tests serve static files via finders.
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405 - from the star import above
