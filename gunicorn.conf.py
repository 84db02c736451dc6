"""gunicorn configuration for Incident Academy: `gunicorn -c gunicorn.conf.py`.

Every value can be changed through the environment; README.md ("Production") explains
them. Requests are short and all state is in PostgreSQL and Redis, so plain synchronous
workers scale by adding processes here and hosts behind the load balancer.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"

bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")

# Two workers per core plus one keeps the cores busy while some workers wait on the
# database; the cap keeps a large machine from opening more database connections than
# PostgreSQL allows (each worker holds one persistent connection).
_default_workers = min(2 * multiprocessing.cpu_count() + 1, 12)
workers = int(os.environ.get("WEB_CONCURRENCY", _default_workers))

# A request that takes longer than this has its worker killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On SIGTERM or a reload, workers finish the requests they are serving for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Longer than the load balancer's idle timeout is pointless, shorter wastes handshakes.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Replace each worker after a while, so a slow leak can never grow without bound; the
# jitter keeps all workers from restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10

# Access log on stdout with the response time in milliseconds (%(M)s); errors and the
# application's own log on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn 25.1 and later open a control socket in the home directory, shared by every
# instance of the user; processes are managed with signals instead (README.md).
control_socket_disable = True
