"""gunicorn's production settings; `gunicorn config.wsgi` reads this file from the repo root.

Every value can be changed from the environment (or overridden on the command line).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests are short and CPU-bound (photos go out through nginx's X-Accel-Redirect), so one
# sync worker per core is the sweet spot; more only add memory.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "sync"
# Load Django once in the master and fork: a broken deploy fails before any worker starts,
# and the workers share the imported code's memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# nginx logs every request already; gunicorn's own access log only doubles the work.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Trust X-Forwarded-* only from the local nginx.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
