"""Benchmark: the live public pages against a constant-page Flask app, and nginx as documented
against nginx at its limit, side by side.

    make bench            (or: .venv/bin/python -m tests.bench.throughput [--seconds N])

Builds a demo database (SQLite, as `make run`), starts the site and a
constant-page Flask baseline under identical gunicorn settings on loopback,
drives each page of both, in English and in French, with wrk when installed
(else a small Python load generator), and prints requests/s, median and p99
latency, and the ratio to the baseline (target: at least 1.0).

When nginx is installed it then builds the static mirror and runs one nginx
(one worker) with two servers over TLS: the block of docs/deploy.md exactly as
written (tests/nginx.py), and the limit: the same files, precompressed, from a
plain `root` with `gzip_static` and nothing else (not even an access log). It
prints the ratio per page (target: at least 0.9). Bounded in time; stops every
process it started.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.nginx import Ports, documented_block, nginx_binary, self_signed_certificate, start_nginx
from tests.servers import REPOSITORY, DidNotStart, Gunicorn, free_port

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
    # The same pages in French: the speed targets hold for every language.
    "/fr/",
    "/fr/needs",
    "/fr/needs.txt",
    "/fr/routes",
    "/fr/routes/central-mediterranean",
    "/fr/news",
    "/fr/news/winter-is-coming",
    "/fr/get-involved",
    "/fr/feeds/news.atom",
    "/fr/feeds/needs.atom",
]
WORKERS, GUNICORN_OPTIONS = 3, ("--worker-class", "sync")
# Pages nginx serves from the mirror, and the file each is in (the limit is asked for the file).
MIRRORED = {
    "/": "/index.html",
    "/needs": "/needs/index.html",
    "/routes": "/routes/index.html",
    "/needs.txt": "/needs.txt",
    "/fr/": "/fr/index.html",
    "/fr/needs": "/fr/needs/index.html",
    "/fr/routes": "/fr/routes/index.html",
    "/fr/needs.txt": "/fr/needs.txt",
}
APP_TARGET, NGINX_TARGET = 1.0, 0.9
ROUNDS = 3


def start(module: str, env: dict, ready_path: str = "/", timeout: float = 30) -> Gunicorn:
    """`module` under gunicorn as the benchmarks run it (stop it with .stop())."""
    try:
        return Gunicorn(
            module,
            env,
            workers=WORKERS,
            options=GUNICORN_OPTIONS,
            ready_path=ready_path,
            timeout=timeout,
        )
    except DidNotStart as error:
        raise SystemExit(str(error)) from None


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def with_wrk(url: str, seconds: float, connections: int, threads: int = 2) -> dict:
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        value, unit = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rate": rate, "median": percentile(50), "p99": percentile(99)}


def with_python(url: str, seconds: float, connections: int, threads: int = 2) -> dict:
    """A plain-socket HTTP/1.0 load generator: one request per connection."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1] if "/" in url.split("//")[1] else "/"
    request = f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n".encode()
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    tls = ssl.create_default_context() if url.startswith("https:") else None
    if tls is not None:  # our own self-signed certificate, on loopback
        tls.check_hostname = False
        tls.verify_mode = ssl.CERT_NONE

    def hammer():
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with socket.create_connection((host, int(port))) as plain:
                connection = tls.wrap_socket(plain) if tls else plain
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


def alternating(load, ours: str, theirs: str, seconds: float, connections: int):
    """Both servers measured in turn, ROUNDS times, and the median run of each kept: one
    nginx worker shares two cores with the load generator (one thread), so single runs
    vary by a tenth."""
    runs: tuple[list, list] = ([], [])
    for _ in range(ROUNDS):
        for url, kept in ((ours, runs[0]), (theirs, runs[1])):
            kept.append(load(url, seconds, connections, threads=1))
    return [sorted(kept, key=lambda run: run["rate"])[len(kept) // 2] for kept in runs]


def start_mirror_servers(folder: Path, env: dict, app_port: int):
    """One nginx, two servers on the same mirror: as docs/deploy.md says, and the limit."""
    if nginx_binary() is None:
        return None
    mirror = folder / "mirror"
    build = [sys.executable, "-m", "flask", "--app", "wsgi", "mirror", "build", str(mirror)]
    subprocess.run(build, cwd=REPOSITORY, env=env, check=True, capture_output=True, timeout=120)
    certificate, key = self_signed_certificate(folder)
    ports, limit_port, prefix = Ports(free_port(), free_port()), free_port(), folder / "nginx"
    documented = documented_block(ports, mirror, app_port, certificate, key, prefix / "logs")
    limit = (
        f"server {{ listen 127.0.0.1:{limit_port} ssl; ssl_certificate {certificate};\n"
        f" ssl_certificate_key {key}; root {mirror}; gzip_static on; access_log off; }}\n"
    )
    process = start_nginx(prefix, documented + limit, workers=1)
    documented_url, limit_url = (
        f"https://127.0.0.1:{ports.https}",
        f"https://127.0.0.1:{limit_port}",
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", limit_port), timeout=1).close()
            socket.create_connection(("127.0.0.1", ports.https), timeout=1).close()
            return process, documented_url, limit_url
        except OSError:
            time.sleep(0.1)
    stop(process)
    return None


def demo_database(folder: Path, env: dict) -> None:
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            cwd=REPOSITORY,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )


def create_organiser(env: dict, email: str, password: str) -> None:
    """An organiser's account in the benchmark's database, through the site's own command."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "users",
            "create",
            email,
            "--role",
            "organiser",
            "--password-stdin",
        ],
        input=password + "\n",
        text=True,
        cwd=REPOSITORY,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per page and server")
    parser.add_argument("--connections", type=int, default=16)
    arguments = parser.parse_args()
    load = with_wrk if shutil.which("wrk") else with_python
    folder = Path(tempfile.mkdtemp(prefix="needs-now-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
        "SECRET_KEY": "benchmark",
        "MEDIA_DIR": str(folder / "media"),
    }
    demo_database(folder, env)
    site = baseline = nginx = None
    try:
        site = start("wsgi:app", env)
        baseline = start("tests.bench.baseline:app", env)
        site_url, baseline_url = site.url, baseline.url
        print(
            f"gunicorn --workers {WORKERS} {' '.join(GUNICORN_OPTIONS)}; "
            f"load: {load.__name__[5:]}, "
            f"{arguments.connections} connections, {arguments.seconds:g} s a run\n"
        )
        print(f"{'page':44} {'req/s':>8} {'median':>8} {'p99':>8} {'baseline':>9} {'ratio':>6}")
        ratios = []
        for page in PAGES:
            ours = load(site_url + page, arguments.seconds, arguments.connections)
            ceiling = load(baseline_url + page, arguments.seconds, arguments.connections)
            ratio = ours["rate"] / ceiling["rate"]
            ratios.append(ratio)
            print(
                f"{page:44} {ours['rate']:8.0f} {ours['median']:7.2f}ms {ours['p99']:7.2f}ms "
                f"{ceiling['rate']:9.0f} {ratio:6.2f}"
            )
        print(
            f"\nlowest ratio {min(ratios):.2f}, median ratio {statistics.median(ratios):.2f}; ",
            end="",
        )
        verdict = "met" if min(ratios) >= APP_TARGET else "NOT met"
        print(f"target: at least {APP_TARGET:.1f} on every page: {verdict}")
        started = start_mirror_servers(folder, env, site.port)
        if started is None:
            print("\nnginx is not installed: the static mirror was not measured.")
        else:
            nginx, documented_url, limit_url = started
            print(
                "\nnginx (1 worker, TLS) serving the static mirror: the block of docs/deploy.md"
                "\nagainst the same files from a plain root with gzip_static only (the limit)\n"
            )
            print(f"{'page':16} {'req/s':>8} {'median':>8} {'p99':>8} {'limit':>8} {'ratio':>6}")
            ratios = []
            for page, file in MIRRORED.items():
                ours, ceiling = alternating(
                    load,
                    documented_url + page,
                    limit_url + file,
                    arguments.seconds,
                    arguments.connections,
                )
                ratios.append(ours["rate"] / ceiling["rate"])
                print(
                    f"{page:16} {ours['rate']:8.0f} {ours['median']:7.2f}ms {ours['p99']:7.2f}ms "
                    f"{ceiling['rate']:8.0f} {ratios[-1]:6.2f}"
                )
            verdict = "met" if min(ratios) >= NGINX_TARGET else "NOT met"
            print(f"\nlowest ratio {min(ratios):.2f} (target: at least {NGINX_TARGET}): {verdict}")
    finally:
        for server in (site, baseline):
            if server is not None:
                server.stop()
        if nginx is not None:
            stop(nginx)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
