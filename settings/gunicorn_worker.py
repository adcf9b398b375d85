"""The web workers' class: gunicorn's threaded worker, serving the clients first come, first served
when the workers fall behind, instead of each worker serving the clients it happened to accept.

A kept-alive connection stays with the worker that accepted it. Gunicorn's workers each accept as
they can, so under a steady load of clients that never let their connections go (a browser, a
proxy, bench_load's 50 users) one worker may hold 40 connections and another 1: the first one's
clients queue behind each other while the other idles (bench_load, 50 users: p50 17 ms, p95 559 ms,
every URL alike). This worker:

- stops accepting while more requests wait for its threads than RECTORATE_SHED_QUEUE (2): new
  connections stay in the listening socket's queue, which the workers share, until one has room;
- answers with ``Connection: close`` (the response whole; the client opens a new connection for its
  next request) while it is that far behind, or while anyone waits in that queue: a kept-alive
  client would otherwise overtake the clients waiting there.

So under load every request waits in one queue, in the order it came (bench_load, 50 users on
PostgreSQL: p95 330 → 184 ms, p50 85 → 145 ms: the fast lane is gone, and the slow one with it).
While the workers keep up, nobody waits, and connections are kept alive as gthread keeps them.
"""

from __future__ import annotations

import os
import socket
import struct
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
        if self.shed_queue and (
            self.in_flight > self.cfg.threads + self.shed_queue or self.clients_waiting()
        ):
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

    def clients_waiting(self) -> int:
        """Connections in the listening sockets' queue, not yet accepted by any worker (Linux: a
        listening TCP socket's tcp_info.tcpi_unacked). While anyone waits there, a kept-alive client
        would overtake them: its connection is closed after the response, and it queues too."""
        waiting = 0
        for listener in self.sockets:
            try:
                info = listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 32)
                waiting += struct.unpack_from("I", info, 24)[0]
            except (OSError, struct.error):  # not TCP (a Unix socket), or not Linux
                pass
        return waiting

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)
