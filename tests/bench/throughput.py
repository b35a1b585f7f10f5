"""Benchmark: the live public pages against a constant-page Flask app, side by side.

    make bench            (or: .venv/bin/python -m tests.bench.throughput [--seconds N])

Builds a demo database (SQLite, as `make run`), starts the site and a
constant-page Flask baseline under identical gunicorn settings on loopback,
drives each page of both with wrk when installed (else a small Python load
generator), and prints requests/s, median and p99 latency, and the ratio to
the baseline. When nginx is installed it also builds the static mirror and
measures nginx serving it. Bounded in time; stops every process it started.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.servers import free_port, is_serving

REPOSITORY = Path(__file__).resolve().parents[2]
PAGES = [
    "/",
    "/needs",
    "/needs.txt",
    "/routes",
    "/routes/central-mediterranean",
    "/news",
    "/news/a-week-with-calais-migrant-solidarity",
    "/get-involved",
    "/feeds/news.atom",
    "/feeds/needs.atom",
    "/sitemap.xml",
]
GUNICORN = ["--workers", "3", "--worker-class", "sync"]


def start(module: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}", module],
        cwd=REPOSITORY, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    if not is_serving(base + "/", process, timeout=30):
        stop(process)
        raise SystemExit(f"{module} did not start")
    return process, base


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def with_wrk(url: str, seconds: float, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
         "-H", "Accept-Encoding: gzip", url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rate": rate, "median": percentile(50), "p99": percentile(99)}


def with_python(url: str, seconds: float, connections: int) -> dict:
    """A plain-socket HTTP/1.0 load generator: one request per connection."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1] if "/" in url.split("//")[1] else "/"
    request = f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n".encode()
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def hammer():
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with socket.create_connection((host, int(port))) as connection:
                connection.sendall(request)
                while connection.recv(65536):
                    pass
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=hammer) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "median": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def start_nginx(folder: Path, env: dict) -> tuple[subprocess.Popen, str] | None:
    """nginx serving the static mirror, as docs/deploy.md sets it up (mirror part only)."""
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        return None
    mirror = folder / "mirror"
    build = [sys.executable, "-m", "flask", "--app", "wsgi", "mirror", "build", str(mirror)]
    subprocess.run(build, cwd=REPOSITORY, env=env, check=True, capture_output=True, timeout=120)
    port, prefix = free_port(), folder / "nginx"
    (prefix / "logs").mkdir(parents=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"{user}pid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\nworker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; gzip on;\n"
        f" client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;\n"
        f" fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi;\n"
        f" scgi_temp_path {prefix}/scgi;\n"
        f" server {{ listen 127.0.0.1:{port}; root {mirror}; index index.html;\n"
        "  location / { try_files $uri $uri/index.html =404; } } }\n"
    )
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    if not is_serving(base + "/", process, timeout=10):
        stop(process)
        return None
    return process, base


def demo_database(folder: Path, env: dict) -> None:
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command], cwd=REPOSITORY,
                       env=env, check=True, capture_output=True, timeout=120)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per page and server")
    parser.add_argument("--connections", type=int, default=16)
    arguments = parser.parse_args()
    load = with_wrk if shutil.which("wrk") else with_python
    folder = Path(tempfile.mkdtemp(prefix="needs-now-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
           "SECRET_KEY": "benchmark", "MEDIA_DIR": str(folder / "media")}  # fmt: skip
    demo_database(folder, env)
    site = baseline = nginx = None
    try:
        site, site_url = start("wsgi:app", env)
        baseline, baseline_url = start("tests.bench.baseline:app", env)
        print(f"gunicorn {' '.join(GUNICORN)}; load: {load.__name__[5:]}, "
              f"{arguments.connections} connections, {arguments.seconds:g} s a run\n")  # fmt: skip
        print(f"{'page':44} {'req/s':>8} {'median':>8} {'p99':>8} {'baseline':>9} {'ratio':>6}")
        ratios = []
        for page in PAGES:
            ours = load(site_url + page, arguments.seconds, arguments.connections)
            ceiling = load(baseline_url + page, arguments.seconds, arguments.connections)
            ratio = ours["rate"] / ceiling["rate"]
            ratios.append(ratio)
            print(f"{page:44} {ours['rate']:8.0f} {ours['median']:7.2f}ms {ours['p99']:7.2f}ms "
                  f"{ceiling['rate']:9.0f} {ratio:6.2f}")  # fmt: skip
        print(f"\nlowest ratio {min(ratios):.2f}, median ratio {statistics.median(ratios):.2f} "
              "(target: at least 0.90 on every page)")  # fmt: skip
        started = start_nginx(folder, env)
        if started is None:
            print("\nnginx is not installed: the static mirror was not measured.")
        else:
            nginx, nginx_url = started
            print("\nnginx (1 worker) serving the static mirror:")
            for page in ("/", "/needs/", "/routes/"):
                served = load(nginx_url + page, arguments.seconds, arguments.connections)
                print(f"{page:44} {served['rate']:8.0f} {served['median']:7.2f}ms "
                      f"{served['p99']:7.2f}ms")  # fmt: skip
    finally:
        for process in (site, baseline, nginx):
            if process is not None:
                stop(process)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
