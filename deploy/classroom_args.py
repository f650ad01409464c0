"""deploy.classroom's command line: every mistake is one sentence, found before anything starts."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sys
from pathlib import Path

from deploy.network import bind_error, haproxy_bind, split_host_port

# One NN Lab server process holds ~650 MB once torch, the app and MNIST are loaded
# (bench/README.md, "Server memory with 1 and 3 sessions": 651 MB after one session).
WORKER_MB = 650
# More workers than this many per core are surely a typo: each trains at least one run.
ABSURD_PER_CORE = 4
DEFAULT_HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def port_number(text: str) -> int:
    """A TCP port a server can listen on: 1 to 65535 (0 would make HAProxy pick one unseen)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: give 1 to 65535")
    return port


def available_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Memory the kernel could give new processes now (MemAvailable), in MB; None if unknown."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def workers_problem(
    workers: int, cores: int, memory_mb: int | None
) -> tuple[str | None, list[str]]:
    """(why `workers` processes cannot run here or None, warnings about them).

    Refused only above ABSURD_PER_CORE x the cores. Above the cores, or needing more than
    the free memory, they are warned of, not refused: the ~650 MB is measured after MNIST
    is loaded, MemAvailable leaves out some reclaimable pages, and a teacher may know the
    class's load better. Warned above cores - 1 too: the workers' runs then fill every
    core, and HAProxy and the workers' drawing for the browsers wait for them.
    """
    need = workers * WORKER_MB
    if workers > ABSURD_PER_CORE * cores:
        return (
            f"--workers {workers} is more than {ABSURD_PER_CORE} x this machine's {cores} "
            f"cores ({ABSURD_PER_CORE * cores}); --workers {max(1, cores - 1)} serves a class best here",
            [],
        )
    warnings = []
    if workers > max(1, cores - 1):
        warnings.append(
            f"warning: --workers {workers} on {cores} cores trains {workers} runs at once and "
            "leaves no core for HAProxy and the pages' drawing; on 2 cores one process without "
            "HAProxy served 8 students better (README.md, 'A classroom on one server')"
        )
    if memory_mb is not None and need > memory_mb:
        warnings.append(
            f"warning: --workers {workers} may need ~{need} MB (each held ~{WORKER_MB} MB "
            f"with MNIST loaded, bench/README.md) and this machine has {memory_mb} MB "
            "available; the last ones may swap or be killed"
        )
    return None, warnings


def log_dir_problem(path: Path) -> str | None:
    """Why logs cannot be written in folder `path` (made if missing), or None if they can."""
    if path.exists():
        if not path.is_dir():
            return f"--log-dir {path}: a file, not a folder"
        return None if os.access(path, os.W_OK | os.X_OK) else f"--log-dir {path}: not writable"
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"--log-dir {path}: {parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"--log-dir {path}: cannot make it in {parent} (not writable)"
    return None


def haproxy_problem(path: str) -> str | None:
    """Why `path` is not a program to run as HAProxy, or None if it is."""
    if shutil.which(path):
        return None
    where = Path(path)
    if where.is_dir():
        return f"--haproxy {path}: a folder; give the program, e.g. {where / 'haproxy'}"
    if where.exists():
        return f"--haproxy {path}: not an executable program"
    return f"haproxy not found at {path} (Debian: apt-get install haproxy)"


def build_parser() -> argparse.ArgumentParser:
    """The launcher's options, each with its default in --help."""
    p = argparse.ArgumentParser(
        prog="python -m deploy.classroom",
        description="Start N NN Lab server processes behind HAProxy, sticky by cookie. "
        "Ctrl-C, SIGTERM or closing the terminal stops every process it started.",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=2,
        help="NN Lab server processes to start on this machine, best at most its cores - 1 "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--port",
        type=port_number,
        default=8500,
        help="the port students open (default: %(default)s)",
    )
    p.add_argument(
        "--host",
        default="0.0.0.0",
        help="address HAProxy listens on; 0.0.0.0 is every network (default: %(default)s)",
    )
    p.add_argument(
        "--server",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="an NN Lab server started on another machine, named r1, r2, ... in order "
        "(repeatable; default: none)",
    )
    p.add_argument(
        "--log-dir",
        type=Path,
        help="folder for the workers' and HAProxy's logs (default: a new temporary folder)",
    )
    p.add_argument(
        "--haproxy",
        default=DEFAULT_HAPROXY,
        help="the HAProxy program to run (Debian: apt-get install haproxy; default: %(default)s)",
    )
    return p


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The launcher's command line, checked: argparse's one-line error for any mistake."""
    p = build_parser()
    args = p.parse_args(argv)
    if args.workers < 0 or (args.workers == 0 and not args.server):
        p.error("give --workers 1 or more, or at least one --server HOST:PORT")
    refusal, warnings = workers_problem(args.workers, os.cpu_count() or 1, available_mb())
    if refusal:
        p.error(refusal)
    for warning in warnings:
        print(warning, file=sys.stderr)
    for spec in args.server:
        try:
            split_host_port(spec)
        except ValueError as why:
            p.error(f"--server {why}")
    if args.log_dir is not None and (problem := log_dir_problem(args.log_dir)):
        p.error(problem)
    if problem := haproxy_problem(args.haproxy):
        p.error(problem)
    if args.host.startswith("[") and args.host.endswith("]"):  # as --server writes IPv6
        args.host = args.host[1:-1]
    if (error := bind_error(args.host, args.port)) is not None:
        busy = error.errno == errno.EADDRINUSE
        p.error(
            f"cannot listen on {haproxy_bind(args.host, args.port)}: "
            + ("another program listens there; choose another --port" if busy else str(error))
        )
    return args
