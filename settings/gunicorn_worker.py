"""The web workers' class: gunicorn's threaded worker that hands kept-alive connections back when it
falls behind, so that a busy worker's clients move to an idle one.

A kept-alive connection stays with the worker that accepted it. Gunicorn's workers each accept as
they can, so under a steady load of clients that never let their connections go (a browser, a
proxy, bench_load's 50 users) one worker may hold twice the connections of another: its clients
queue behind each other while the other workers idle (bench_load, 50 users: p50 17 ms but p95
559 ms, every URL alike). This worker answers with ``Connection: close`` while more requests wait
for its threads than it has threads (the response is whole; the client opens a new connection for
its next request), and it stops accepting while behind: new connections wait in the listening
socket's queue, shared by the workers, until one has room. The queue is first come, first served,
so a client waits behind the clients before it, not behind one worker's share of them. While a
worker keeps up, it accepts and keeps connections alive as gthread does.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

# Requests waiting for a thread, beyond those the threads are running, from which the worker stops
# accepting and closes the connections it answers (RECTORATE_SHED_QUEUE; 0: never, as gthread).
SHED_QUEUE = int(os.environ.get("RECTORATE_SHED_QUEUE", 2))


class BalancingThreadWorker(ThreadWorker):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.in_flight = 0  # requests submitted to the threads and not finished (main thread only)
        self.nr_conns = 0
        super().__init__(*args, **kwargs)

    # gunicorn's handle_request closes the connection after the response when
    # len(keepalived_conns) >= max_keepalived; reading 0 while behind makes it shed.
    @property
    def max_keepalived(self) -> int:
        if self.shed_queue and self.in_flight > self.cfg.threads + self.shed_queue:
            return 0
        return self._max_keepalived

    @max_keepalived.setter
    def max_keepalived(self, value: int) -> None:
        self._max_keepalived = value

    @property
    def shed_queue(self) -> int:
        return SHED_QUEUE

    # gunicorn's run loop accepts while nr_conns < worker_connections; reading nr_conns while
    # behind leaves new connections in the listening socket's backlog for a worker with room.
    @property
    def worker_connections(self) -> int:
        if self.shed_queue and self.in_flight >= self.cfg.threads + self.shed_queue:
            return self.nr_conns
        return self._worker_connections

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._worker_connections = value

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)
