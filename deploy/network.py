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
import urllib.parse

# Local addresses that mean "every network" to a server's bind.
ANY_HOST = ("0.0.0.0", "", "::", "*")
# "" and "*" mean every IPv4 address, as HAProxy's `bind *:PORT` does.
ALL_IPV4 = ("0.0.0.0", "", "*")
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
    listens on is not. The address family is the one getaddrinfo gives `host`
    (IPv6 for "::"); "" and "*" are every IPv4 address, as for HAProxy.
    """
    address = "0.0.0.0" if host in ALL_IPV4 else host
    try:
        family, kind, proto, _, where = socket.getaddrinfo(
            address, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        return exc
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(where)
        except OSError as exc:
            return exc
    return None


def in_url(host: str) -> str:
    """`host` as written before ":PORT" in a URL or in HAProxy: an IPv6 literal in brackets."""
    return f"[{host}]" if ":" in host else host


def haproxy_bind(host: str, port: int) -> str:
    """HAProxy's `bind` address for --host `host`: `*:PORT` for "" and "*", IPv6 in brackets."""
    return f"*:{port}" if host in ("", "*") else f"{in_url(host)}:{port}"


def local_url(host: str, port: int) -> str:
    """The URL this machine opens to reach a server listening on `host:port`.

    A wildcard is no address to connect to: 127.0.0.1 for the IPv4 ones, [::1] for "::".
    """
    if host in ALL_IPV4:
        return f"http://127.0.0.1:{port}"
    return f"http://{in_url('::1' if host == '::' else host)}:{port}"


def split_host_port(spec: str) -> tuple[str, int]:
    """(host, port) of a HOST:PORT such as 10.0.0.11:8501 or [::1]:8501; the host bare.

    ValueError with the sentence to show: an IPv6 address needs its brackets, as in a URL
    (in ::1:8501 the port is not told apart from the address).
    """
    if spec.count(":") > 1 and not spec.startswith("["):
        raise ValueError(f"{spec!r}: write an IPv6 address in brackets, e.g. [::1]:8501")
    tail = spec.rpartition(":")[2]
    if tail.isdigit() and not 1 <= int(tail) <= 65535:
        raise ValueError(f"{spec!r}: {int(tail)} is not a port: give 1 to 65535")
    try:
        parts = urllib.parse.urlsplit("//" + spec)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise ValueError(f"{spec!r}: expected HOST:PORT ({exc})") from None
    if not host or port is None or parts.netloc != spec or "@" in spec:
        raise ValueError(f"{spec!r}: expected HOST:PORT")
    return host, port


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
    return [f"http://{in_url(host)}:{port}/"]


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
        if host not in ("localhost", "::1") and not host.startswith("127."):
            return f"NN Lab for the class: students open http://{in_url(host)}:{port}/. {end}"
        return (
            f"NN Lab for the class: http://{in_url(host)}:{port}/ opens on this machine only "
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
