"""Settings for the test suite: production settings with a test-only key and no HTTPS redirect.

Django's test runner forces DEBUG off, so the suite runs the production code paths; only what a test client
cannot do (HTTPS) is relaxed. Environment variables still win, so CI's DATABASE_URL and REDIS_URL apply.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "k" * 50)
os.environ.setdefault("SECURE_HTTPS", "false")
# Certificate keys: tests that sign take the `certificate_keys` fixture (a folder of their own); this is the default.
os.environ.setdefault(
    "CERTIFICATE_KEYS_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test-certificate-keys"))

from config.settings import *  # noqa: E402,F403

# Argon2 stays (tests check it is the hasher); its cost is lowered so thousands of logins stay quick.
PASSWORD_HASHERS = ["tests.hashers.CheapArgon2PasswordHasher"]
