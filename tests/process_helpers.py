"""Small helpers for tests that start servers: a stand-in HTTP server's code, a process check."""

from __future__ import annotations

import socket

# A request handler that answers 200 "ok" to any GET, quietly: the body of the stand-in servers
# (tests/test_deploy_ports.SERVER, the launcher tests' "haproxy").
OK_HANDLER = """
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
"""


def alive(pid: int) -> bool:
    """True while process `pid` runs (a zombie, exited but not yet reaped, counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def has_ipv6() -> bool:
    """True if this machine can listen on IPv6's loopback (some CI containers turn IPv6 off)."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def needs_ipv6(*values):
    """A pytest.param of `values` skipped where IPv6 is off."""
    import pytest

    return pytest.param(*values, marks=pytest.mark.skipif(not has_ipv6(), reason="no IPv6 here"))
