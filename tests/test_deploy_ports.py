"""deploy.classroom's ports: different ones for each worker, and another when one is taken first."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request

import pytest

from deploy.classroom import (
    Worker,
    class_workers,
    free_ports,
    parse_args,
    port_taken,
    render_config,
    stop_processes,
    wait_started,
)
from deploy.listeners import listens_on
from deploy.network import bind_error, haproxy_bind, local_url
from tests.process_helpers import OK_HANDLER, has_ipv6, needs_ipv6

HOST = "127.0.0.1"
# A stand-in for a server: answers 200 to any GET on the port it is given, and exits
# with an error if it cannot bind that port (as streamlit does).
SERVER = (
    """
import http.server, sys
"""
    + OK_HANDLER
    + """
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Ok).serve_forever()
"""
)


def start_server(port: int) -> subprocess.Popen:
    """The stand-in server on `port`."""
    return subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stderr=subprocess.DEVNULL)


@pytest.fixture
def taken_port():
    """A port that a listening socket holds for the test."""
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_free_ports_are_all_different():
    ports = free_ports(20)
    assert len(set(ports)) == 20


def test_port_taken_tells_a_held_port_from_a_free_one(taken_port):
    assert port_taken(HOST, taken_port)
    assert not port_taken(HOST, free_ports(1)[0])


def test_a_server_whose_port_was_taken_starts_again_on_another(taken_port):
    starts: list[int] = []

    def restart(port: int) -> subprocess.Popen:
        starts.append(port)
        return start_server(port)

    proc, port = wait_started(start_server(taken_port), HOST, taken_port, restart, timeout=30)
    try:
        assert starts == [port] and port != taken_port
        assert proc.poll() is None
        with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=5) as r:
            assert r.read() == b"ok"
    finally:
        stop_processes([proc])


def test_a_server_that_fails_for_another_reason_is_not_started_again():
    starts: list[int] = []
    failing = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    port = free_ports(1)[0]
    with pytest.raises(RuntimeError, match="exited with code 3"):
        wait_started(failing, HOST, port, lambda p: starts.append(p), timeout=30)
    assert starts == []


def test_the_launcher_says_when_its_port_is_taken_before_starting_anything(taken_port, capsys):
    with pytest.raises(SystemExit):
        parse_args(
            [
                "--workers",
                "1",
                "--port",
                str(taken_port),
                "--host",
                HOST,
                "--haproxy",
                sys.executable,
            ]
        )
    assert "another program listens there; choose another --port" in capsys.readouterr().err


def test_a_port_whose_connections_are_closing_is_free_for_a_server():
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((HOST, 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection((HOST, port))
        conn, _ = server.accept()
        conn.close()  # the server's side closes first, so its end waits in TIME_WAIT
        client.close()
    assert not port_taken(HOST, port)
    assert (
        parse_args(
            ["--workers", "1", "--port", str(port), "--host", HOST, "--haproxy", sys.executable]
        ).port
        == port
    )


def test_a_restart_skips_ports_given_to_other_servers(taken_port, monkeypatch):
    sibling, other = free_ports(2)
    offered = iter([sibling, other])
    monkeypatch.setattr("deploy.classroom.free_port", lambda host="127.0.0.1": next(offered))
    proc, port = wait_started(
        start_server(taken_port), HOST, taken_port, start_server, timeout=30, avoid=[sibling]
    )
    try:
        assert port == other
    finally:
        stop_processes([proc])


def test_another_server_answering_on_the_taken_port_is_not_taken_for_ours():
    """A server of someone else's that took the port first answers 200 too; ours is restarted."""
    impostor_port = free_ports(1)[0]
    impostor = start_server(impostor_port)
    try:
        wait_started(impostor, HOST, impostor_port, start_server, timeout=30)  # it is up
        starts: list[int] = []

        def restart(port: int) -> subprocess.Popen:
            starts.append(port)
            return start_server(port)

        proc, port = wait_started(
            start_server(impostor_port), HOST, impostor_port, restart, timeout=30
        )
        try:
            assert port != impostor_port and starts == [port]
            assert listens_on(proc.pid, port) and not listens_on(proc.pid, impostor_port)
        finally:
            stop_processes([proc])
    finally:
        stop_processes([impostor])


def test_listens_on_tells_the_listening_process_from_others():
    with socket.socket() as server:
        server.bind((HOST, 0))
        server.listen()
        port = server.getsockname()[1]
        assert listens_on(os.getpid(), port) is True
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            assert listens_on(other.pid, port) is False
        finally:
            stop_processes([other])
    assert listens_on(os.getpid(), port) is False


@pytest.mark.skipif(not has_ipv6(), reason="no IPv6 here")
def test_a_server_at_an_ipv6_address_is_reached_and_written_in_brackets():
    with socket.socket(socket.AF_INET6) as remote:
        remote.bind(("::1", 0))
        remote.listen()
        spec = f"[::1]:{remote.getsockname()[1]}"
        own = ["--host", HOST, "--port", str(free_ports(1)[0])]  # not 8500: a class may hold it
        args = parse_args(["--workers", "0", "--server", spec, "--haproxy", sys.executable, *own])
        [r1] = class_workers(args)  # reach_error: a connection to ::1, not to "[::1]"
    assert (r1.host, r1.url) == ("::1", f"http://{spec}")
    assert f"server r1 {spec} cookie r1" in render_config("*:8500", [r1])


@pytest.mark.parametrize(
    ("host", "url"),
    [("*", "127.0.0.1"), ("", "127.0.0.1"), ("0.0.0.0", "127.0.0.1"), (HOST, HOST)]
    + [needs_ipv6("::", "[::1]"), needs_ipv6("::1", "[::1]")],
)
def test_every_host_is_probed_in_its_family_and_opened_at_an_address(host, url):
    assert bind_error(host, free_ports(1)[0]) is None
    assert local_url(host, 8500) == f"http://{url}:8500"


@pytest.mark.skipif(not os.path.exists("/usr/sbin/haproxy"), reason="no Debian haproxy here")
@pytest.mark.parametrize("host", ["*", "", "0.0.0.0", "::", "::1", HOST])
def test_haproxy_accepts_the_configuration_for_every_host(host, tmp_path):
    config = tmp_path / "haproxy.cfg"
    workers = [Worker("w1", HOST, 8851), Worker("r1", "::1", 8852)]
    config.write_text(render_config(haproxy_bind(host, 8850), workers))
    check = subprocess.run(
        [shutil.which("haproxy") or "/usr/sbin/haproxy", "-c", "-f", str(config)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.skipif(not has_ipv6(), reason="no IPv6 here")
def test_a_bracketed_ipv6_host_is_taken_as_written_for_a_server():
    port = str(free_ports(1)[0])  # free on IPv4 loopback; parse_args probes ::1 itself
    args = parse_args(
        ["--workers", "1", "--host", "[::1]", "--port", port, "--haproxy", sys.executable]
    )
    assert args.host == "::1" and local_url(args.host, 8500) == "http://[::1]:8500"
