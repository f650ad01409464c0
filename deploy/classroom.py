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
worker's name, URL and pid, HAProxy's pid, the students' URLs) and, on stderr,
the address students open. It runs until Ctrl-C, SIGTERM or SIGHUP (the terminal
closed), which stop every process it started, during start-up too. A worker
that dies is reported and left down; the others go on. Every mistake on the
command line, and a --server that cannot be reached, is one sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from deploy.classroom_args import parse_args
from deploy.listeners import listens_on
from deploy.network import (
    free_port,
    free_ports,
    haproxy_bind,
    in_url,
    lan_addresses,
    local_url,
    port_taken,
    reach_error,
    split_host_port,
    student_urls,
    teacher_line,
)
from deploy.signals import Stopped, StopSignals, die_with_parent

__all__ = ["free_ports", "parse_args", "port_taken"]  # the tests' names, kept here since the split

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
        return f"http://{in_url(self.host)}:{self.port}"


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
            wait_healthy(local_url(host, port), proc, timeout, owner=proc.pid)
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
    servers = "\n".join(
        f"    server {w.name} {in_url(w.host)}:{w.port} cookie {w.name}" for w in workers
    )
    return Template(TEMPLATE.read_text()).substitute(bind=bind, cookie=cookie, servers=servers)


def slots_per_worker(workers: int, cores: int | None = None) -> int:
    """Training slots for each of `workers` processes sharing this machine's cores.

    models.admission gives one process all cores but one; several processes
    on one machine share them, so none of them oversubscribes the cores.
    """
    cores = cores or os.cpu_count() or 1
    return max(1, (cores - 1) // max(1, workers))


def start_worker(
    name: str,
    port: int,
    address: str,
    log: Path | None,
    slots: int,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.Popen:
    """`streamlit run app.py` as worker `name` on `address:port` (not waited for)."""
    env = dict(os.environ, **{WORKER_ENV: name, SLOTS_ENV: str(slots)})
    env.setdefault("PYTHONPATH", str(ROOT))
    return start_streamlit_process(port, address, env, log, preexec_fn)


def start_streamlit_process(
    port: int,
    address: str,
    env: dict | None = None,
    log: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
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
            preexec_fn=preexec_fn,
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


def say(text: str) -> None:
    """`text` on stderr for the teacher; nothing if the terminal has gone (SIGHUP)."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        pass


def haproxy_complaints(output: str, code: int) -> str:
    """HAProxy's own reasons from the output of `haproxy -c`: its ALERT and WARNING lines."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    found = [line for line in lines if "[ALERT]" in line or "[WARNING]" in line] or lines[-10:]
    return "\n  ".join(found) or f"(it printed nothing; exit code {code})"


@dataclass
class Launch:
    """Every process main() started, kept for the clean-up, and whether the class is ready."""

    stops: StopSignals
    procs: list[subprocess.Popen] = field(default_factory=list)
    ready: bool = False
    # Children get SIGTERM if the launcher dies without its clean-up (SIGKILL, a crash).
    preexec: Callable[[], None] | None = field(default_factory=die_with_parent)

    def start(self, begin: Callable[[], subprocess.Popen]) -> subprocess.Popen:
        """Start a process with `begin` and record it before a stop signal can interrupt."""
        with self.stops.held():
            proc = begin()
            self.procs.append(proc)
        return proc


def class_workers(args: argparse.Namespace) -> list[Worker]:
    """The workers to start here (w1, w2, ...) and those on other machines (r1, ...), reached.

    A wrong --server is said at once (RuntimeError), before anything starts.
    """
    ports = free_ports(args.workers)
    workers = [Worker(f"w{i + 1}", "127.0.0.1", port) for i, port in enumerate(ports)]
    for i, spec in enumerate(args.server):
        workers.append(Worker(f"r{i + 1}", *split_host_port(spec)))  # parse_args checked it
    for w in workers[args.workers :]:
        if why := reach_error(w.host, w.port):
            raise RuntimeError(f"cannot reach {w.name} at {in_url(w.host)}:{w.port}: {why}")
    return workers


def serve(args: argparse.Namespace, workers: list[Worker], log_dir: Path, launch: Launch) -> int:
    """Start the workers and HAProxy, print the JSON line, watch them until a stop signal."""
    slots = slots_per_worker(args.workers)
    local, remote = workers[: args.workers], workers[args.workers :]
    ports = [w.port for w in local]

    def starter(w: Worker) -> Callable[[int], subprocess.Popen]:
        log = log_dir / f"{w.name}.log"
        return lambda port: launch.start(
            lambda: start_worker(w.name, port, w.host, log, slots, launch.preexec)
        )

    for w in local:
        w.proc = starter(w)(w.port)
    for i, w in enumerate(local):
        say(
            f"classroom: waiting for {w.name} to start (up to {START_SECONDS:.0f} s; log {log_dir})"
        )
        w.proc, w.port = wait_started(w.proc, w.host, w.port, starter(w), avoid=ports)
        ports[i] = w.port  # a later restart avoids the new port too
    for w in remote:
        say(f"classroom: waiting for {w.name} at {w.url} to answer its health check")
        wait_healthy(w.url, None)
    config = log_dir / "haproxy.cfg"
    config.write_text(render_config(haproxy_bind(args.host, args.port), workers))
    check = launch.start(
        lambda: subprocess.Popen(
            [args.haproxy, "-c", "-f", str(config)],  # no -q: its reasons are shown on failure
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=launch.preexec,
        )
    )
    output = check.communicate()[0]
    if check.returncode != 0:
        raise RuntimeError(
            f"HAProxy refused {config}:\n  {haproxy_complaints(output, check.returncode)}\n"
        )
    with open(log_dir / "haproxy.log", "w") as hlog:
        proxy = launch.start(
            lambda: subprocess.Popen(
                [args.haproxy, "-db", "-f", str(config)],
                stdout=hlog,
                stderr=subprocess.STDOUT,
                preexec_fn=launch.preexec,
            )
        )
    url = local_url(args.host, args.port)
    say(f"classroom: waiting for HAProxy to answer on {url}")
    wait_healthy(url, proxy)
    addresses = lan_addresses()
    info = {
        "url": url,
        "haproxy_pid": proxy.pid,
        "logs": str(log_dir),
        "slots_per_worker": slots,
        "workers": [
            {"name": w.name, "url": w.url, "pid": w.proc.pid if w.proc else None} for w in workers
        ],
        "student_urls": student_urls(args.host, args.port, addresses),
    }
    with launch.stops.held():  # a stop now comes after the whole line, not in its middle
        launch.ready = True
        print(json.dumps(info), flush=True)
        say(teacher_line(args.host, args.port, addresses))
    reported: set[str] = set()
    while True:
        time.sleep(0.5)
        if proxy.poll() is not None:
            say(f"classroom: haproxy exited with code {proxy.returncode} (log {log_dir})")
            return 1
        for w in workers:
            if w.proc is not None and w.proc.poll() is not None and w.name not in reported:
                reported.add(w.name)
                say(
                    f"classroom: worker {w.name} exited with code {w.proc.returncode}; its "
                    "students reconnect to the others (it stays down until a restart)"
                )


def main(argv: list[str] | None = None) -> int:
    """Start the workers and HAProxy, print the JSON line, run until Ctrl-C, SIGTERM or SIGHUP.

    A stop during start-up stops at once and exits with 128 + the signal (130 for Ctrl-C);
    after the JSON line, a stop is the normal end: exit 0.
    """
    args = parse_args(argv)
    launch = Launch(StopSignals())
    log_dir: list[Path] = [args.log_dir] if args.log_dir else []
    try:
        launch.stops.install()
        ended: int | BaseException = start_class(args, launch, log_dir)
    except BaseException as exc:  # Stopped too; nothing here may skip the clean-up below
        ended = exc
    late: Stopped | None = None
    # A signal's handler runs at any call, hold() itself included, and raises Stopped once:
    # caught here, hold() is called again, and after it no signal raises any more.
    while True:
        try:
            launch.stops.hold()
            break
        except Stopped as stop:
            late = stop
    if isinstance(ended, (RuntimeError, OSError)):  # said before the clean-up, which may take 10 s
        say(f"classroom: {ended}" + (f" (logs in {log_dir[0]})" if log_dir else ""))
    stop_processes(launch.procs)
    launch.stops.restore()
    stopped = ended if isinstance(ended, Stopped) else late
    if stopped is not None:
        when = "" if launch.ready else " during start-up"
        say(f"NN Lab for the class stopped{when} ({stopped.name}); nothing it started runs.")
    if isinstance(ended, int):
        return ended
    if isinstance(ended, Stopped):
        return 0 if launch.ready else ended.exit_code
    if isinstance(ended, (RuntimeError, OSError)):
        return 1
    raise ended  # a bug: its traceback, after the clean-up


def start_class(args: argparse.Namespace, launch: Launch, log_dir: list[Path]) -> int:
    """Reach the workers, make the log folder (appended to `log_dir`) and serve the class."""
    workers = class_workers(args)
    if not log_dir:
        log_dir.append(Path(tempfile.mkdtemp(prefix="nnlab-classroom-")))
    log_dir[0].mkdir(parents=True, exist_ok=True)
    return serve(args, workers, log_dir[0], launch)


if __name__ == "__main__":
    sys.exit(main())
