"""The web workers' class (settings/gunicorn_worker.py) under real gunicorn: clients that keep their
connections alive are moved off a worker that falls behind, and nothing is lost or refused."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv/bin/gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve():
    started: list[subprocess.Popen[bytes]] = []

    def start(shed_queue: int) -> int:
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RECTORATE_SHED_QUEUE": str(shed_queue)}
        server = subprocess.Popen(
            [str(GUNICORN), "tests.serving.wsgi_app:app", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", "1", "--keep-alive", "30",
             "--worker-class", "settings.gunicorn_worker.BalancingThreadWorker"],
            cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(server)
        deadline = time.monotonic() + 60
        while True:  # both workers answer
            try:
                pids = {_get(port, "/")[0] for _ in range(20)}
                if len(pids) == 2 or time.monotonic() > deadline:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return port

    yield start
    for server in started:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return int(response.read()), response.getheader("Connection", "")
    finally:
        connection.close()


def _clients(port: int, *, clients: int, requests: int) -> tuple[Counter[int], int, int]:
    """`clients` threads each send `requests` requests one after another over a kept-alive connection
    (a new one when the server closed it). Returns the requests each worker answered, how many
    answers closed their connection, and how many requests failed."""
    served: Counter[int] = Counter()
    closed = failed = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal closed, failed
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(requests):
            try:
                connection.request("GET", "/?delay=0.02")
                response = connection.getresponse()
                pid = int(response.read())
                close = response.getheader("Connection", "").lower() == "close"
            except (OSError, http.client.HTTPException, ValueError):
                with lock:
                    failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            with lock:
                served[pid] += 1
                closed += close
            if close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return served, closed, failed


def test_a_worker_that_falls_behind_hands_its_kept_alive_clients_to_the_others(serve) -> None:
    port = serve(shed_queue=1)
    served, closed, failed = _clients(port, clients=8, requests=15)
    assert failed == 0
    assert sum(served.values()) == 8 * 15
    assert closed > 0  # the workers fell behind (8 clients, 2 workers of 1 thread) and shed
    assert len(served) == 2 and min(served.values()) >= 8 * 15 // 4, served  # both carried the load


def test_without_a_queue_limit_the_worker_keeps_every_connection_alive(serve) -> None:
    port = serve(shed_queue=0)
    served, closed, failed = _clients(port, clients=8, requests=15)
    assert failed == 0
    assert sum(served.values()) == 8 * 15
    assert closed == 0


def test_the_worker_counts_the_connections_waiting_in_the_listening_socket() -> None:
    """What makes a kept-alive client queue behind the others: the listening socket's accept queue."""
    from types import SimpleNamespace

    from settings.gunicorn_worker import BalancingThreadWorker

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        worker = SimpleNamespace(sockets=[listener])
        assert BalancingThreadWorker.clients_waiting(worker) == 0
        clients = [socket.create_connection(listener.getsockname()) for _ in range(3)]
        try:
            assert BalancingThreadWorker.clients_waiting(worker) == 3
            accepted, _ = listener.accept()
            accepted.close()
            assert BalancingThreadWorker.clients_waiting(worker) == 2
        finally:
            for client in clients:
                client.close()
