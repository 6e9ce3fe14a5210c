"""Real processes for fault tests: a private Redis, Celery workers and beats, and the means to kill them.

Everything here starts its own process on its own port or queue and stops only what it started,
so the machine's shared services (Redis on 6379, the shared database) are never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from tests.passport_portal.scratch_db import database_url

ROOT = Path(__file__).resolve().parents[2]


def require_program(name: str) -> str:
    """The path of ``name``; without it a fault test fails in CI and is skipped, loudly, elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"FAULT TEST NOT RUN: {name} is not installed on this machine; install it to run this test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.1):
    """Poll ``condition`` until it returns something true, and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def children_of(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (read from /proc: no extra package needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; the parent id is the second field after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


class PrivateRedis:
    """A redis-server of this test's own, without persistence, that can be stopped and brought back."""

    def __init__(self, workdir: Path):
        self.binary = require_program("redis-server")
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Stop the broker the hard way, as a crash or a network cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Processes:
    """Celery workers and beats on the test database and a private broker, stopped at teardown."""

    def __init__(self, workdir: Path, broker_url: str, **env: str):
        self.workdir = workdir
        self.broker_url = broker_url
        self.extra_env = env
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def env(self, **more: str) -> dict[str, str]:
        broker = {"CELERY_BROKER_URL": self.broker_url, "CELERY_RESULT_BACKEND": self.broker_url} \
            if self.broker_url else {}
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
        return {
            **inherited,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "passport_portal.settings.test",
            # The test database pytest-django made, which the test's own data is committed to.
            "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
            **broker,
            "LOG_LEVEL": "INFO",
            **self.extra_env,
            **more,
        }

    def spawn(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=self.env(**env), stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((process, log))
        return process

    def worker(self, name: str = "worker", *, concurrency: int = 1, queue: str = "celery",
               **env: str) -> subprocess.Popen:
        """A real prefork worker whose pool children do the work (a child can be killed alone)."""
        process = self.spawn(name, ["-m", "celery", "-A", "tests.faults.celery_app", "worker", "-P", "prefork",
                                    "--concurrency", str(concurrency), "-l", "INFO", "-Q", queue,
                                    "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
                                    "--without-heartbeat"], **env)
        wait_until(lambda: "ready." in self.log(name) or process.poll() is not None, timeout=60,
                   what=f"celery worker {name} to be ready")
        assert process.poll() is None, self.log(name)
        return process

    def beat(self, name: str = "beat", **env: str) -> subprocess.Popen:
        return self.spawn(name, ["-m", "celery", "-A", "tests.faults.celery_app", "beat", "-l", "INFO",
                                 "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
                                 "--pidfile", str(self.workdir / f"{name}.pid")], **env)

    def call(self, task: str, **kwargs) -> None:
        """Send a task by name from a separate process, as beat or another machine would."""
        import json

        result = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "tests.faults.celery_app", "call", task,
             "--kwargs", json.dumps(kwargs)],
            cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for process, _log in reversed(self.started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: the worker and its pool children
                process.wait(timeout=30)
        self.started.clear()
