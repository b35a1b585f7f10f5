"""Real servers started by tests on 127.0.0.1: a free port, waiting until one answers or shows
something, the site under gunicorn, a mirror's files as a visitor's web server would read them,
and a TCP relay to cut."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_serving(url: str, process: subprocess.Popen | None = None, timeout: float = 20) -> bool:
    """True once `url` answers (with any status); False after `timeout` seconds or if `process`
    exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        # A request is waited for until the deadline, never abandoned: a slow first answer
        # left running while another worker answers a retry once raced the next test's
        # database reset (a deadlock on PostgreSQL).
        wait = max(deadline - time.monotonic(), 0.1)
        try:
            with urllib.request.urlopen(url, timeout=wait):  # noqa: S310 (http on loopback)
                return True
        except urllib.error.HTTPError as error:
            error.close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


class DidNotStart(RuntimeError):
    """The server exited, or did not answer in time."""


class Gunicorn:
    """`app_module` served by gunicorn on a free loopback port (`url`, `port`), from the
    repository, in a process group of its own; ready once `ready_path` answers. Stopped by
    stop() or at the end of a `with` block.

    `command` is a whole gunicorn command line (as the Makefile or docs/deploy.md write it)
    to run instead of the default one; its --bind is replaced. Output goes to `log` (appended
    to after the process starts), else nowhere."""

    def __init__(
        self,
        app_module: str = "wsgi:app",
        env: dict | None = None,
        *,
        workers: int = 3,
        options: tuple[str, ...] | list[str] = (),
        command: list[str] | None = None,
        log: Path | None = None,
        ready_path: str = "/needs.txt",
        timeout: float = 20,
    ):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if command is None:
            command = ["gunicorn", "--workers", str(workers), *options, "--bind", "", app_module]
        command = list(command)
        command[command.index("--bind") + 1] = f"127.0.0.1:{self.port}"
        output = log.open("ab") if log is not None else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", *command],
                cwd=REPOSITORY,
                env=os.environ if env is None else env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if log is not None:
                output.close()
        if not is_serving(self.url + ready_path, self.process, timeout=timeout):
            self.stop()
            written = f":\n{log.read_text(errors='replace')}" if log is not None else ""
            raise DidNotStart(f"gunicorn ({app_module}) did not start{written}")

    def stop(self) -> None:
        """Every process of the server ended: asked to (SIGTERM), else after 10 s killed."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *exception) -> None:
        self.stop()


def seconds_until(check, limit: float) -> float | None:
    """How long until check() held, or None if it did not within `limit` seconds."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def mirror_text(mirror: Path, name: str) -> str:
    """A file of a static mirror as served now ("" while there is none)."""
    try:
        return (mirror / name).read_text()
    except OSError:
        return ""


class SwitchableProxy:
    """A TCP relay to PostgreSQL that the test can cut and restore, like a network fault."""

    def __init__(self, target_port: int = 5432):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.close()

    def cut(self):
        self.up = False
        for connection in self.connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.connections.clear()

    def restore(self):
        self.up = True

    def close(self):
        self.listener.close()
        self.cut()
