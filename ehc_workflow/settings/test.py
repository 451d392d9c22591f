"""Settings for the test suite. DATABASE_URL and REDIS_URL point CI at real PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Texts stay off (tests switch them on); when on they go to an in-memory outbox, never Notify.
EHC_TEXT_MESSAGES = False
EHC_TEXT_BACKEND = "notifications.texts.LocmemTextBackend"
# Tasks sent by the code under test stay in memory: tests never publish to a shared Redis. The
# worker integration tests talk to REDIS_URL explicitly.
CELERY_BROKER_URL = "memory://"
DATABASES = {
    "default": env.db("DATABASE_URL", default="sqlite:///:memory:"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
