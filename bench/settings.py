"""The portal's own settings, plus the bench's URLconf and cookies usable over plain HTTP.

Everything else (DEBUG off, PostgreSQL, Redis, whitenoise, the middleware) is production's,
so the numbers are production's. The bench talks plain HTTP to 127.0.0.1 only, where a
cookie marked Secure would never be sent back.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
