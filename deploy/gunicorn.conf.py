"""gunicorn settings of rectorate-web.service (and of ./scripts/run): WEB_CONCURRENCY workers of
WEB_THREADS threads each.

Threaded workers (gthread) keep a client's connection open between requests (keep-alive: no
connection set up and torn down per request, as sync workers do) and let the threads of a worker
overlap their waits (database, files, the network). Two threads: more contend for the GIL and cost
CPU per request (bench_load on the shared 2-core machine: 13.2 ms/request with 3 workers of 2
threads, 18-20 with 3 of 4, 14-16 with 5 sync workers). The application is thread-safe (Django, a
database connection per thread; the access-log queue, the sidebar cache and the index handle lock).
"""

import multiprocessing
import os

bind = os.environ.get("RECTORATE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("RECTORATE_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS", 2))
# seconds an idle client connection stays open (behind a proxy: its upstream keep-alive)
keepalive = int(os.environ.get("RECTORATE_KEEPALIVE", 5))
timeout = 120  # a verification report or a large export may take a while; never a converter
graceful_timeout = 30
max_requests = 20000  # recycle workers now and then (long-lived processes and pyHanko caches); each
# recycle costs a boot (about 2 s of CPU) and cold per-process caches: at 2,000, a worker restarted about
# every 50 s under 100+ requests/s and stalled the requests queued on it (p99 3.5 s in bench_load)
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("RECTORATE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
