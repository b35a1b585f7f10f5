"""Real servers started by tests on 127.0.0.1: a free port, and waiting until one answers."""

import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_serving(url: str, process: subprocess.Popen | None = None, timeout: float = 20) -> bool:
    """True once `url` answers; False after `timeout` seconds or if `process` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (http on loopback)
                return True
        except OSError:
            time.sleep(0.1)
    return False
