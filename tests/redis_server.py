"""A Redis server for the tests: the one that answers, or a throwaway `redis-server`.

Order: TEST_REDIS_URL; the local server on 127.0.0.1:6379; else Debian's `redis-server`
(scripts/setup_system.sh installs it for tests) started on a free port in a temporary
folder, without persistence, and stopped when the tests end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import closing

import pytest
import redis

LOCAL = "redis://127.0.0.1:6379/0"


def answers(url: str) -> bool:
    try:
        with closing(redis.Redis.from_url(url, socket_connect_timeout=2)) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.dir: str | None = None
        url = os.environ.get("TEST_REDIS_URL")
        if not url and not os.environ.get("APPROVALS_FORCE_THROWAWAY_REDIS"):
            url = LOCAL if answers(LOCAL) else None
        self.url = url or self._start()

    def _start(self) -> str:
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError(
                "No Redis answers and redis-server is not installed: run `make test` "
                "(it installs the redis-server package) or set TEST_REDIS_URL."
            )
        self.dir = tempfile.mkdtemp(prefix="approvals-redis-")
        port = _free_port()
        args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", self.dir]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 20
        while not answers(url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        return url

    def close(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


@pytest.fixture(scope="module")
def redis_url():
    """A Redis for a test module's task queue: the running one, or a throwaway server."""
    server = RedisServer()
    yield server.url
    server.close()
