"""Which process listens on a TCP port, read from Linux's /proc.

A health check proves that *a* server answers on a port, not that it is the one
we started: a port chosen free can be taken by another server (another
classroom, a parallel test run) before ours binds it, and that server may answer
200 as well. Ours then exits, unseen, after the check has passed.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
LISTEN = "0A"  # the TCP state LISTEN in /proc/net/tcp


def listening_inodes(port: int, proc: Path = PROC) -> set[int] | None:
    """Inodes of the sockets listening on `port` (IPv4 and IPv6); None without /proc/net/tcp."""
    tables = [proc / "net" / name for name in ("tcp", "tcp6")]
    if not tables[0].exists():
        return None
    inodes: set[int] = set()
    for table in tables:
        try:
            lines = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            # local_address is HEXIP:HEXPORT; the inode is the tenth field.
            if len(fields) > 9 and fields[3] == LISTEN:
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(fields[9]))
    return inodes


def socket_inodes(pid: int, proc: Path = PROC) -> set[int]:
    """Inodes of the sockets process `pid` holds open (empty if it is gone or not ours to read)."""
    inodes: set[int] = set()
    fd_dir = proc / str(pid) / "fd"
    try:
        names = os.listdir(fd_dir)
    except OSError:
        return inodes
    for name in names:
        try:
            target = os.readlink(fd_dir / name)
        except OSError:
            continue  # closed since the listing
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def listens_on(pid: int, port: int, proc: Path = PROC) -> bool | None:
    """True if process `pid` holds a socket listening on `port`, False if not; None if unknown.

    Unknown where /proc does not say (not Linux): the caller then trusts its health check.
    """
    listening = listening_inodes(port, proc)
    if listening is None:
        return None
    return bool(listening & socket_inodes(pid, proc))
