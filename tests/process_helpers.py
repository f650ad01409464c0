"""Small helpers for tests that start servers: a stand-in HTTP server's code, a process check."""

from __future__ import annotations

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
