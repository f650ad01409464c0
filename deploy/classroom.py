"""A classroom's NN Lab: N server processes behind HAProxy, sticky by cookie.

    python -m deploy.classroom --workers 2 --port 8500          # this machine, 2 processes
    python -m deploy.classroom --workers 0 --port 8500 \\
        --server 10.0.0.11:8501 --server 10.0.0.12:8501         # processes on other machines

Students open http://<this machine>:<port>/. The first response sets a cookie
naming one worker; every later request of that browser (the page, its static
files and the WebSocket at /_stcore/stream) goes to the same process, which
holds the session. HAProxy checks each worker's /_stcore/health every 2 s (a
busy worker has 5 s to answer; three failures in a row take it out) and sends
browsers of a stopped worker to the others.

Once everything answers, the launcher prints one JSON line (its URL, each
worker's name, URL and pid, HAProxy's pid) and runs until Ctrl-C or SIGTERM,
which stop every process it started. A worker that dies is reported and left
down; the others go on.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from deploy.listeners import listens_on

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("haproxy.cfg")
COOKIE = "NNLAB_WORKER"
WORKER_ENV = "NNLAB_WORKER"  # each worker's name, so the app can tell who served it before
SLOTS_ENV = "NNLAB_TRAINING_SLOTS"  # models/admission.py reads it
START_SECONDS = 90.0
STOP_SECONDS = 10.0
# Starts of one server in all when something else takes its port first (wait_started).
PORT_ATTEMPTS = 3


@dataclass
class Worker:
    """One NN Lab server process: started here (proc) or on another machine (proc None)."""

    name: str
    host: str
    port: int
    proc: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The worker's own address (not the proxy's)."""
        return f"http://{self.host}:{self.port}"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on `host` right now."""
    return free_ports(1, host)[0]


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """`n` different TCP ports free on `host` right now.

    All are held until the last is chosen: a port closed at once could be handed out again.
    """
    sockets: list[socket.socket] = []
    try:
        for _ in range(n):
            sockets.append(socket.socket())
            sockets[-1].bind((host, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def bind_error(host: str, port: int) -> OSError | None:
    """Why a server could not listen on `host:port` now, or None if it could.

    Probed as servers bind (SO_REUSEADDR, as Tornado and HAProxy do): a port whose
    last connections are still closing is free for them, one that another socket
    listens on is not.
    """
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc
    return None


def port_taken(host: str, port: int) -> bool:
    """True if another socket holds `port` on `host`, so a server could not listen there now."""
    error = bind_error(host, port)
    return error is not None and error.errno == errno.EADDRINUSE


def wait_started(
    proc: subprocess.Popen,
    host: str,
    port: int,
    restart: Callable[[int], subprocess.Popen],
    timeout: float = START_SECONDS,
    avoid: Collection[int] = (),
) -> tuple[subprocess.Popen, int]:
    """Wait until the server `proc` on `host:port` is healthy; (the process, its port).

    A port is free when chosen, and something else can bind it before the server
    does. The server then exits, and `restart(port)` starts it again on another
    free port (not one of `avoid`: ports given to other servers that may not have
    bound them yet), up to PORT_ATTEMPTS starts in all. Any other failure stops
    `proc` and raises (RuntimeError from wait_healthy).
    """
    attempt = 1
    while True:
        try:
            wait_healthy(f"http://{host}:{port}", proc, timeout, owner=proc.pid)
            return proc, port
        except BaseException as exc:  # Ctrl-C too: no server is left behind
            lost_port = proc.poll() is not None and port_taken(host, port)
            stop_processes([proc])
            if not (isinstance(exc, RuntimeError) and lost_port and attempt < PORT_ATTEMPTS):
                raise
        attempt += 1
        port = free_port(host)
        while port in avoid:
            port = free_port(host)
        proc = restart(port)


def render_config(bind: str, workers: list[Worker], cookie: str = COOKIE) -> str:
    """HAProxy's configuration from deploy/haproxy.cfg for `workers`, listening on `bind`."""
    servers = "\n".join(f"    server {w.name} {w.host}:{w.port} cookie {w.name}" for w in workers)
    return Template(TEMPLATE.read_text()).substitute(bind=bind, cookie=cookie, servers=servers)


def slots_per_worker(workers: int, cores: int | None = None) -> int:
    """Training slots for each of `workers` processes sharing this machine's cores.

    models.admission gives one process all cores but one; several processes
    on one machine share them, so none of them oversubscribes the cores.
    """
    cores = cores or os.cpu_count() or 1
    return max(1, (cores - 1) // max(1, workers))


def start_worker(
    name: str, port: int, address: str, log: Path | None, slots: int
) -> subprocess.Popen:
    """`streamlit run app.py` as worker `name` on `address:port` (not waited for)."""
    env = dict(os.environ, **{WORKER_ENV: name, SLOTS_ENV: str(slots)})
    env.setdefault("PYTHONPATH", str(ROOT))
    return start_streamlit_process(port, address, env, log)


def start_streamlit_process(
    port: int, address: str, env: dict | None = None, log: Path | None = None
) -> subprocess.Popen:
    """`streamlit run app.py` headless on `address:port` with `env`, output to `log` (not waited for).

    The one way the app's server is started, by the classroom launcher and by the browser tests.
    """
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)  # e.g. test-results/, absent in a fresh clone
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (the child keeps its copy)
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                address,
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    finally:
        if log:
            out.close()


def wait_healthy(
    url: str,
    proc: subprocess.Popen | None,
    timeout: float = START_SECONDS,
    owner: int | None = None,
) -> None:
    """Wait until `url`/_stcore/health answers 200; RuntimeError if `proc` exits or time runs out.

    With `owner`, a 200 counts only once process `owner` listens on the port
    (deploy.listeners): another server that took the port first may answer too.
    """
    deadline = time.monotonic() + timeout
    port = urllib.parse.urlsplit(url).port
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and (owner is None or listens_on(owner, port) is not False):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}/_stcore/health did not answer within {timeout:.0f} s")


def stop_processes(procs: list[subprocess.Popen]) -> None:
    """SIGTERM every process, then SIGKILL those still running after STOP_SECONDS."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The launcher's command line."""
    p = argparse.ArgumentParser(
        prog="python -m deploy.classroom",
        description="Start N NN Lab server processes behind HAProxy, sticky by cookie.",
    )
    p.add_argument("--workers", type=int, default=2, help="server processes to start here")
    p.add_argument("--port", type=int, default=8500, help="the port students open")
    p.add_argument(
        "--host", default="0.0.0.0", help="address HAProxy listens on (0.0.0.0: every network)"
    )
    p.add_argument(
        "--server",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="an NN Lab server started on another machine (repeatable)",
    )
    p.add_argument("--log-dir", type=Path, help="worker and HAProxy logs (default: a temp dir)")
    p.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy")
    args = p.parse_args(argv)
    if args.workers < 0 or (args.workers == 0 and not args.server):
        p.error("give --workers 1 or more, or at least one --server HOST:PORT")
    for spec in args.server:
        host, _, port = spec.rpartition(":")
        if not host or not port.isdigit():
            p.error(f"--server {spec!r}: expected HOST:PORT")
    if not Path(args.haproxy).exists():
        p.error(f"haproxy not found at {args.haproxy} (Debian: apt-get install haproxy)")
    if (error := bind_error(args.host, args.port)) is not None:
        busy = error.errno == errno.EADDRINUSE
        p.error(
            f"cannot listen on {args.host}:{args.port}: "
            + ("another program listens there; choose another --port" if busy else str(error))
        )
    return args


def main(argv: list[str] | None = None) -> int:
    """Start the workers and HAProxy, print the JSON line, run until Ctrl-C or SIGTERM."""
    args = parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log_dir = args.log_dir or Path(tempfile.mkdtemp(prefix="nnlab-classroom-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    slots = slots_per_worker(args.workers)
    ports = free_ports(args.workers)
    workers = [Worker(f"w{i + 1}", "127.0.0.1", port) for i, port in enumerate(ports)]
    for i, spec in enumerate(args.server):
        host, _, port = spec.rpartition(":")
        workers.append(Worker(f"r{i + 1}", host, int(port)))
    procs: list[subprocess.Popen] = []

    def starter(w: Worker) -> Callable[[int], subprocess.Popen]:
        return lambda port: start_worker(w.name, port, w.host, log_dir / f"{w.name}.log", slots)

    try:
        for w in workers[: args.workers]:
            w.proc = starter(w)(w.port)
            procs.append(w.proc)
        for i, w in enumerate(workers[: args.workers]):
            w.proc, w.port = wait_started(w.proc, w.host, w.port, starter(w), avoid=ports)
            procs[i], ports[i] = w.proc, w.port  # a later restart avoids the new port too
        for w in workers[args.workers :]:
            wait_healthy(w.url, None)
        config = log_dir / "haproxy.cfg"
        config.write_text(render_config(f"{args.host}:{args.port}", workers))
        subprocess.run([args.haproxy, "-c", "-q", "-f", str(config)], check=True)
        with open(log_dir / "haproxy.log", "w") as hlog:
            proxy = subprocess.Popen(
                [args.haproxy, "-db", "-f", str(config)], stdout=hlog, stderr=subprocess.STDOUT
            )
        procs.append(proxy)
        url = f"http://{'127.0.0.1' if args.host == '0.0.0.0' else args.host}:{args.port}"
        wait_healthy(url, proxy)
        print(
            json.dumps(
                {
                    "url": url,
                    "haproxy_pid": proxy.pid,
                    "logs": str(log_dir),
                    "slots_per_worker": slots,
                    "workers": [
                        {"name": w.name, "url": w.url, "pid": w.proc.pid if w.proc else None}
                        for w in workers
                    ],
                }
            ),
            flush=True,
        )
        reported: set[str] = set()
        while not stop.wait(0.5):
            if proxy.poll() is not None:
                print(f"haproxy exited with code {proxy.returncode}", file=sys.stderr)
                return 1
            for w in workers:
                if w.proc is not None and w.proc.poll() is not None and w.name not in reported:
                    reported.add(w.name)
                    print(
                        f"worker {w.name} exited with code {w.proc.returncode}; "
                        "its students reconnect to the others",
                        file=sys.stderr,
                        flush=True,
                    )
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"classroom: {exc} (logs in {log_dir})", file=sys.stderr)
        return 1
    finally:
        stop_processes(procs)


if __name__ == "__main__":
    sys.exit(main())
