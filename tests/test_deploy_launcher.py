"""`python -m deploy.classroom` as a teacher meets it: its errors, its address line, its stops.

The launcher runs for real, in a process group of its own, in front of stand-ins: a remote
"NN Lab" that answers 200 (tests/test_deploy_ports.SERVER) and an "haproxy" script that checks
nothing and serves 200 on the configuration's bind (or, as asked, never answers, or refuses
its configuration). Every wait is on a condition with a time budget, not on a speed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from deploy import classroom, classroom_args
from deploy.classroom import haproxy_complaints, parse_args, stop_processes
from deploy.network import free_ports, lan_addresses, reach_error, teacher_line
from deploy.signals import Stopped, StopSignals
from tests.process_helpers import OK_HANDLER, alive, needs_ipv6
from tests.test_deploy_ports import HOST, start_server

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 60.0  # far below the launcher's old 90 s wait, far above any healthy start here
STANDIN_HAPROXY = (
    """#!{python}
import http.server, os, re, signal, socket, sys, time
args = sys.argv[1:]
config = open(args[args.index("-f") + 1]).read()
mode = os.environ.get("STANDIN_HAPROXY", "ok")
if "-c" in args:
    if mode == "bad-config":
        print("[NOTICE]   (1) : haproxy version is 2.6.12")
        print("[ALERT]    (1) : config : parsing [haproxy.cfg:23] : unknown keyword 'foo'")
    sys.exit(1 if mode == "bad-config" else 0)
signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as haproxy -db: SIGHUP only logs server states
host, port = re.search(r"bind (\\S+)", config).group(1).rsplit(":", 1)
host = "0.0.0.0" if host == "*" else host.strip("[]")  # HAProxy's forms of --host
http.server.HTTPServer.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
if mode == "silent":  # listens, never answers: the launcher waits for it
    s = socket.socket(http.server.HTTPServer.address_family)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.listen()
    while True:
        time.sleep(1)
"""
    + OK_HANDLER
    + """
http.server.HTTPServer((host, int(port)), Ok).serve_forever()
"""
)


def _wait(condition, what: str, budget: float = BUDGET) -> None:
    deadline = time.monotonic() + budget
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {budget:.0f} s")
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    """Pids of the processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _child(pid: int, word: str) -> int | None:
    """The pid of a child of `pid` whose command line has `word`, or None."""
    for child in _children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                if word.encode() in f.read().split(b"\0"):
                    return child
        except OSError:
            pass
    return None


class Launcher:
    """The launcher in a session of its own, its stdout and stderr read line by line."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.classroom", *args],
            cwd=ROOT,
            env=dict(os.environ, **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(stream, lines), daemon=True)
            for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def wait_child(self, word: str) -> int:
        """Wait until the launcher has started a process with `word` in its command line; its pid."""
        _wait(lambda: _child(self.proc.pid, word) is not None, f"a child process with {word!r}")
        return _child(self.proc.pid, word)

    def wait_err(self, text: str) -> None:
        """Wait until stderr has a line with `text`."""
        _wait(lambda: any(text in line for line in self.err), f"stderr saying {text!r}")

    def finish(self) -> int:
        """Wait for the launcher's exit and for the last of its output; its exit code."""
        code = self.proc.wait(timeout=BUDGET)
        for reader in self.readers:
            reader.join(BUDGET)
        return code

    def kill(self) -> None:
        """SIGKILL whatever is left of its process group."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=BUDGET)
        for reader in self.readers:
            reader.join(BUDGET)


@pytest.fixture
def haproxy(tmp_path) -> str:
    """The stand-in haproxy program."""
    path = tmp_path / "haproxy"
    path.write_text(STANDIN_HAPROXY.format(python=sys.executable))
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def remote():
    """A stand-in NN Lab on another machine: its port."""
    port = free_ports(1)[0]
    server = start_server(port)
    yield port
    stop_processes([server])


@pytest.fixture
def launch(haproxy, tmp_path):
    """Starts launchers for `--workers 0` in front of the stand-ins; kills what is left after."""
    started: list[Launcher] = []

    def start(*args: str, mode: str = "ok") -> Launcher:
        port = free_ports(1)[0]
        common = ["--haproxy", haproxy, "--host", HOST, "--port", str(port)]
        common += ["--log-dir", str(tmp_path / "logs")]
        started.append(Launcher(common + list(args), {"STANDIN_HAPROXY": mode}))
        return started[-1]

    yield start
    for launcher in started:
        launcher.kill()


@pytest.fixture
def silent_remote():
    """A socket that accepts connections and never answers: a remote NN Lab still starting."""
    with socket.socket() as holder:
        holder.bind((HOST, 0))
        holder.listen()
        holder.settimeout(BUDGET)
        yield holder


@pytest.fixture(autouse=True)
def machine(monkeypatch):
    """A machine of 4 cores and 100 GB free for parse_args, whatever runs the tests."""
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.setattr(classroom_args, "available_mb", lambda: 100_000)


# --- the command line: one sentence for each mistake, before anything starts ---


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--port", "99999"], "99999 is not a port: give 1 to 65535"),
        (["--port", "0"], "0 is not a port: give 1 to 65535"),
        (["--server", "localhost:99999"], "99999 is not a port"),
        (["--server", "::1:8813"], "write an IPv6 address in brackets, e.g. [::1]:8501"),
        (["--server", "localhost"], "'localhost': expected HOST:PORT"),
        (["--host", "nnlab-no-such-host.invalid"], "cannot listen on nnlab-no-such-host"),
        (["--log-dir", __file__], "a file, not a folder"),
        (["--log-dir", str(Path(__file__) / "logs")], "is a file, not a folder"),
        (["--haproxy", str(Path(sys.executable).parent)], "a folder; give the program"),
        (["--haproxy", __file__], "not an executable program"),
    ],
)
def test_a_wrong_option_is_one_sentence(args, says, capsys):
    with pytest.raises(SystemExit) as stop:
        parse_args(["--workers", "1", "--host", HOST, "--haproxy", sys.executable, *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_absurdly_many_workers_are_refused_and_many_are_warned_of(monkeypatch, capsys):
    base = ["--host", HOST, "--port", str(free_ports(1)[0]), "--haproxy", sys.executable]
    with pytest.raises(SystemExit):
        parse_args(["--workers", "17", *base])
    err = capsys.readouterr().err
    # The limit and the advice agree: 16 would be allowed (with a warning), 3 are best.
    assert "more than 4 x this machine's 4 cores (16); --workers 3 serves a class best here" in err
    # More than the cores, or than the free memory: warned, as the teacher may know better.
    assert parse_args(["--workers", "16", *base]).workers == 16
    assert "warning: --workers 16 on 4 cores" in capsys.readouterr().err
    assert parse_args(["--workers", "3", *base]).workers == 3
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(classroom_args, "available_mb", lambda: 1000)
    assert parse_args(["--workers", "2", *base]).workers == 2
    assert "may need ~1300 MB (each held ~650 MB" in capsys.readouterr().err


def test_help_describes_every_option_with_its_default(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = capsys.readouterr().out
    assert "the HAProxy program to run" in out
    assert "(default: 2)" in out and "(default: 8500)" in out


# --- the address students open ---


def test_the_teacher_is_told_the_address_students_open():
    addresses = lan_addresses()
    assert all(not a.startswith("127.") and a.count(".") == 3 for a in addresses)
    line = teacher_line("0.0.0.0", 8651, ["192.0.2.2", "10.0.0.5"])
    assert "students open http://192.0.2.2:8651/" in line
    assert "this machine's addresses: 192.0.2.2, 10.0.0.5" in line and "Ctrl-C" in line
    assert "this machine only" in teacher_line("127.0.0.1", 8651, ["192.0.2.2"])


def test_the_running_launcher_prints_its_address_and_stops_on_sighup(launch, remote):
    launcher = launch("--workers", "0", "--server", f"{HOST}:{remote}")
    _wait(lambda: launcher.out, "the JSON line")
    info = json.loads(launcher.out[0])
    # Closing the terminal: SIGHUP to the whole group. The stand-in, as haproxy, ignores it.
    os.killpg(launcher.proc.pid, signal.SIGHUP)
    assert launcher.finish() == 0
    assert not alive(info["haproxy_pid"])
    assert {"url", "haproxy_pid", "logs", "slots_per_worker", "workers"} <= info.keys()
    assert info["student_urls"] == [info["url"] + "/"]
    assert any(f"NN Lab for the class: {info['url']}/" in line for line in launcher.err)
    assert any("stopped (SIGHUP" in line for line in launcher.err)


@pytest.mark.parametrize(
    ("host", "local"), [("*", "127.0.0.1"), ("", "127.0.0.1"), needs_ipv6("::", "[::1]")]
)
def test_every_address_for_every_network_is_listened_on(launch, remote, host, local):
    launcher = launch("--workers", "0", "--server", f"{HOST}:{remote}", "--host", host)
    _wait(lambda: launcher.out, "the JSON line")
    assert json.loads(launcher.out[0])["url"].startswith(f"http://{local}:")
    launcher.proc.send_signal(signal.SIGTERM)
    assert launcher.finish() == 0


# --- a stop during start-up ---


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stop_while_waiting_for_a_server_ends_at_once(launch, silent_remote, sig, code):
    port = silent_remote.getsockname()[1]
    launcher = launch("--workers", "0", "--server", f"{HOST}:{port}")
    with silent_remote.accept()[0]:  # the launcher's health check: it waits for an answer
        launcher.proc.send_signal(sig)
        assert launcher.finish() == code
    assert launcher.out == []  # nothing claims the class is ready
    assert any("stopped during start-up" in line for line in launcher.err)


def test_sighup_during_start_up_stops_haproxy_too(launch, remote):
    launcher = launch("--workers", "0", "--server", f"{HOST}:{remote}", mode="silent")
    proxy = launcher.wait_child("-db")
    launcher.proc.send_signal(signal.SIGHUP)  # the launcher alone; the stand-in ignores it anyway
    assert launcher.finish() == 129
    _wait(lambda: not alive(proxy), "the stand-in haproxy ending")
    assert launcher.out == []


def test_haproxy_dies_with_a_killed_launcher(launch, remote):
    launcher = launch("--workers", "0", "--server", f"{HOST}:{remote}", mode="silent")
    proxy = launcher.wait_child("-db")
    launcher.proc.kill()  # no clean-up at all: the child's PR_SET_PDEATHSIG must act
    launcher.proc.wait(timeout=BUDGET)
    _wait(lambda: not alive(proxy), "the stand-in haproxy ending with its launcher")


def test_a_stop_while_a_worker_starts_stops_the_worker(launch):
    launcher = launch("--workers", "1")
    worker = launcher.wait_child("streamlit")
    launcher.proc.send_signal(signal.SIGTERM)
    assert launcher.finish() == 143
    _wait(lambda: not alive(worker), "the worker ending")


def test_nohup_keeps_the_launcher_running_after_the_terminal_closes():
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as nohup leaves it
    stops = StopSignals()
    try:
        stops.install()
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
    finally:
        stops.restore()
        signal.signal(signal.SIGHUP, before)


# --- a wrong --server, and HAProxy's own reasons ---


def test_an_unreachable_server_is_named_at_once(launch):
    closed = free_ports(1)[0]
    launcher = launch("--workers", "0", "--server", f"{HOST}:{closed}")
    assert launcher.finish() == 1
    err = "".join(launcher.err)
    assert f"cannot reach r1 at {HOST}:{closed}: connection refused" in err
    assert reach_error("nnlab-no-such-host.invalid", 8501) == "unknown host name"


def test_haproxy_refusing_its_configuration_says_why(launch, remote):
    launcher = launch("--workers", "0", "--server", f"{HOST}:{remote}", mode="bad-config")
    assert launcher.finish() == 1
    err = "".join(launcher.err)
    assert "unknown keyword 'foo'" in err and "[NOTICE]" not in err
    assert "(it printed nothing; exit code 1)" in haproxy_complaints("", 1)


@pytest.mark.parametrize("failure", [None, "HAProxy refused its configuration"])
def test_a_stop_as_the_launcher_ends_does_not_skip_the_clean_up(
    failure, monkeypatch, tmp_path, capsys
):
    """The signal's handler can run at the call to hold() itself, before it holds anything."""
    started: list[subprocess.Popen] = []

    def serve(args, workers, log_dir, launch) -> int:
        sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
        started.append(launch.start(lambda: subprocess.Popen(sleeper)))
        if failure:
            raise RuntimeError(failure)
        return 1  # as when HAProxy exits

    real_hold = StopSignals.hold

    def hold(self) -> None:
        if not self._raised:
            self._raised = True
            raise Stopped(signal.SIGTERM)
        real_hold(self)

    monkeypatch.setattr(classroom, "class_workers", lambda args: [])
    monkeypatch.setattr(classroom, "serve", serve)
    monkeypatch.setattr(StopSignals, "hold", hold)
    try:
        port = str(free_ports(1)[0])  # not the default 8500, which a running class may hold
        argv = ["--haproxy", sys.executable, "--log-dir", str(tmp_path), "--port", port]
        assert classroom.main([*argv, "--host", HOST]) == 1
        assert started[0].poll() is not None
    finally:
        stop_processes(started)
    err = capsys.readouterr().err
    assert "stopped during start-up (SIGTERM); nothing it started runs" in err
    assert not failure or f"classroom: {failure}" in err
