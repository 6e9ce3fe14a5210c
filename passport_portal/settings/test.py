"""Settings for the test suite: the real database and broker, fast password hashing."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests assert messages in their source language (English); page tests that check the
# Indonesian default switch it on explicitly.
LANGUAGE_CODE = "en"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The real PostgreSQL; only the flush between transactional tests differs (see the module).
DATABASES["default"]["ENGINE"] = "tests.db_backend"  # noqa: F405
if "replica" in DATABASES:  # noqa: F405
    DATABASES["replica"]["ENGINE"] = "tests.db_backend"  # noqa: F405

# Tests run without collectstatic: serve from the app folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
