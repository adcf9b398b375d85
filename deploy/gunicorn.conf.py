"""gunicorn settings of rectorate-web.service (and of ./scripts/run): WEB_CONCURRENCY workers of
WEB_THREADS threads each.

Threaded workers (gthread) keep a client's connection open between requests (keep-alive: no
connection set up and torn down per request, as sync workers do) and let the threads of a worker
overlap their waits (database, files, the network). Two threads: more contend for the GIL and cost
CPU per request (bench_load on the shared 2-core machine: 13.2 ms/request with 3 workers of 2
threads, 18-20 with 3 of 4, 14-16 with 5 sync workers). The application is thread-safe (Django, a
database connection per thread; the access-log queue, the sidebar cache and the index handle lock).
A kept-alive connection stays with the worker that accepted it: under load, the workers' class
(settings/gunicorn_worker.py) makes every request wait in the listening socket's queue, first come,
first served, instead of behind one worker's share of the clients (bench_load, 50 users: the three
workers held 9/40/1 connections, p95 517 ms; PostgreSQL p95 330 -> 184 ms, SQLite 241 -> 135 ms).
"""

import multiprocessing
import os

bind = os.environ.get("RECTORATE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# gunicorn's threaded worker that stops accepting while more than RECTORATE_SHED_QUEUE (2) requests
# wait for its threads, and closes kept-alive connections while it is behind or clients wait to be
# accepted (settings/gunicorn_worker.py); "gthread" keeps every connection where it was accepted.
worker_class = os.environ.get("RECTORATE_WORKER_CLASS", "settings.gunicorn_worker.BalancingThreadWorker")
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


def post_worker_init(worker):  # gunicorn's hook signature
    """Move what the worker loaded (Django, the application, the kinds) out of the garbage
    collector's sight: a full collection then walks only the objects of the requests since."""
    if os.environ.get("RECTORATE_GC_FREEZE", "1") != "0":
        import gc

        gc.collect()
        gc.freeze()
