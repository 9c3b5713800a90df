"""The test suite's settings (pyproject.toml's DJANGO_SETTINGS_MODULE): forum/settings.py as the
environment makes it, with only what tests need changed. Servers that tests start in their own
processes (tests/servers.py, tests/test_make_run.py) use forum.settings, as production does."""

import os

from forum.settings import *  # noqa: F403
from forum.settings import DATABASES, FORUM_RATE_LIMITS, INSTALLED_APPS, LOGGING, STORAGES

# A new connection per request: tests that run servers in threads share no connection.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Hashing at production cost would be most of the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run where they are enqueued; tests/test_make_run.py and the scale-out test run the worker.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Static files straight from the source folders, with no collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["loggers"]["forum.requests"]["level"] = "WARNING"
# The signed-out page cache only where a test turns it on.
FORUM_PAGE_CACHE_SECONDS = int(os.environ.get("FORUM_PAGE_CACHE_SECONDS", "0"))
# Tests post far faster than a person; the tests of the limits set their own.
FORUM_RATE_LIMITS = dict.fromkeys(FORUM_RATE_LIMITS, "1000/m")
# Chromium's virtual authenticator on http://localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# The data generator's tests.
if "bench" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
