"""The embedded default: SQLite, console email, Celery on a SQLite broker (no Redis needed)."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")  # noqa: S105
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Texts, if switched on locally, are printed like the emails: nothing leaves the machine.
EHC_TEXT_BACKEND = env("EHC_TEXT_BACKEND", default="notifications.texts.ConsoleTextBackend")

(BASE_DIR / "var").mkdir(exist_ok=True)
# kombu's SQLAlchemy transport keeps the queue in a SQLite file, so `make run` needs no broker.
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=f"sqla+sqlite:///{BASE_DIR / 'var' / 'celery-broker.sqlite3'}"
)
if CELERY_BROKER_URL.startswith("sqla+"):
    # kombu's SQLAlchemy transport hands its transport options to create_engine(), which
    # refuses Redis's visibility_timeout; it has no visibility timeout to set.
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The web server and the Celery worker share the SQLite file: wait for a lock, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # noqa: F405
