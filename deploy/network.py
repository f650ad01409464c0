"""Ports and addresses for deploy.classroom: free ports, this machine's addresses, reaching a server.

Nothing here needs the internet: the addresses come from the kernel's own tables.
"""

from __future__ import annotations

import errno
import ipaddress
import shutil
import socket
import subprocess
import time

# Local addresses that mean "every network" to a server's bind.
ANY_HOST = ("0.0.0.0", "", "::", "*")
# A private address that nobody needs to own: connecting a UDP socket to it sends nothing,
# but makes the kernel choose the address of the interface its route goes out of.
ROUTE_PROBE = ("10.254.254.254", 9)
# How long a refused connection to another machine's server is tried again: one that is
# still starting refuses for a moment; one that is not running refuses for ever.
REACH_SECONDS = 5.0


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


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip.is_link_local)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines can open (no loopback), best first.

    Three sources, as none of them alone is found everywhere: the route's own address
    (no packet is sent), `ip -4 -o addr` (every interface) and the host name's addresses.
    """
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(ROUTE_PROBE)
            found.append(s.getsockname()[0])
    except OSError:
        pass  # no route at all: an offline machine still has its interfaces' addresses
    if ip := shutil.which("ip"):
        try:
            out = subprocess.run(
                [ip, "-4", "-o", "addr", "show"], capture_output=True, text=True, timeout=5
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            fields = line.split()
            if "inet" in fields[:-1]:
                found.append(fields[fields.index("inet") + 1].split("/")[0])
    try:
        found += [i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    return [a for i, a in enumerate(found) if _usable(a) and a not in found[:i]]


def student_urls(host: str, port: int, addresses: list[str]) -> list[str]:
    """The addresses students open for a proxy listening on `host:port`."""
    if host in ANY_HOST:
        return [f"http://{a}:{port}/" for a in addresses]
    return [f"http://{host}:{port}/"]


def reach_error(host: str, port: int, seconds: float = REACH_SECONDS) -> str | None:
    """Why nothing answers a TCP connection to `host:port`, as a phrase; None if something does.

    A refused connection is tried again for `seconds` (a server that is still starting).
    """
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return "unknown host name"
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection((host, port), timeout=max(1.0, seconds)):
                return None
        except ConnectionRefusedError:
            if time.monotonic() >= deadline:
                return "connection refused — is NN Lab running there?"
        except TimeoutError:
            return "no answer (a wrong address, or a firewall in between?)"
        except OSError as exc:
            return exc.strerror or str(exc)
        time.sleep(0.5)


def teacher_line(host: str, port: int, addresses: list[str]) -> str:
    """The sentence that tells the teacher which address the students open."""
    end = "Press Ctrl-C to stop."
    if host not in ANY_HOST:
        if host != "localhost" and not host.startswith("127."):
            return f"NN Lab for the class: students open http://{host}:{port}/. {end}"
        return (
            f"NN Lab for the class: http://{host}:{port}/ opens on this machine only "
            f"(--host {host} is not on a network; --host 0.0.0.0 is on every one). {end}"
        )
    if not addresses:
        return (
            f"NN Lab for the class: students open http://<this machine's address>:{port}/ "
            f"(no network address found here; on this machine: http://127.0.0.1:{port}/). {end}"
        )
    return (
        f"NN Lab for the class: students open http://{addresses[0]}:{port}/ "
        f"(this machine's addresses: {', '.join(addresses)}). {end}"
    )
