"""Memory and CPU of process trees, read from /proc (Linux), for the classroom bench."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def process_tree(pids: list[int]) -> set[int]:
    """`pids` and all their descendants that are alive now."""
    children, seen, frontier = _children(), set(), list(pids)
    while frontier:
        pid = frontier.pop()
        if pid not in seen:
            seen.add(pid)
            frontier.extend(children.get(pid, []))
    return seen


def rss_mb(pids: list[int]) -> float | None:
    """Summed resident memory of `pids` (and their children) in MB; None without pids."""
    if not pids:
        return None
    total = 0
    for pid in process_tree(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds_by_kind(
    server_pids: list[int], browser_path: str, under: int | None = None
) -> dict[str, float]:
    """CPU seconds used so far by live processes: the server's tree, the browsers, the rest.

    Browsers are the processes whose command starts with `browser_path` or lies in a
    chromium folder (chromium starts them in a session of its own, though they stay the
    Playwright driver's descendants); "kernel" is the kernel's own threads. Each process counts its
    children that have ended too (chromium closes a tab's renderer). Take it before and
    after a span and subtract; take "after" before the processes of interest end.

    Machine-wide, unless `under` is a process id: then only that process's tree counts
    (a bench's own pid: its Playwright driver and the chromium it starts descend from it),
    so another program's browser or load on the machine is left out.
    """
    server = process_tree(server_pids) if server_pids else set()
    only = process_tree([under]) | server if under is not None else None
    used = {"server": 0.0, "browsers": 0.0, "other": 0.0, "kernel": 0.0}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().split(b"\0", 1)[0].decode(errors="replace")
        except (OSError, IndexError):
            continue
        pid = int(entry.name)
        if only is not None and pid not in only:
            continue
        if pid in server:
            kind = "server"
        elif command.startswith(browser_path) or "/chromium/" in command:
            kind = "browsers"
        else:
            kind = "other" if command else "kernel"
        # utime + stime, and cutime + cstime of its children that ended and were waited for.
        used[kind] += sum(int(f) for f in fields[11:15]) / CLOCK_TICKS
    return used
