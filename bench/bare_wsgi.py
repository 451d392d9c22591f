"""A gunicorn entry serving only the bare views (bench/bare.py), with no middleware: benchmark
4's limit under the same 25 clients as the app (bench/load.py starts it). Never deployed: the
app's entry is ehc_workflow/wsgi.py."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ehc_workflow.settings.production")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# As bench/api_cost.py's BARE override: the bench-only URLconf, and no middleware.
settings.ROOT_URLCONF = "bench.bare_urls"
settings.MIDDLEWARE = []

application = get_wsgi_application()
