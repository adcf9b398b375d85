"""gunicorn settings of rectorate-web.service (and of ./scripts/run): WEB_CONCURRENCY workers."""

import multiprocessing
import os

bind = os.environ.get("RECTORATE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 120  # a verification report or a large export may take a while; never a converter
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (long-lived processes and pyHanko caches)
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("RECTORATE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
