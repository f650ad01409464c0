"""The code passes ruff with the project's configuration (pyproject.toml), so lint is part of the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    """Run ruff with the project's configuration, or skip when it is not installed."""
    if (
        shutil.which("ruff") is None
        and subprocess.run(
            [sys.executable, "-m", "ruff", "--version"], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_finds_nothing():
    result = _ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_every_file_unchanged():
    result = _ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


MAX_LINES = 450


def tracked_python_files() -> list[Path]:
    """The project's Python files: git's list, or every .py below the root outside a checkout."""
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    files = [ROOT / f for f in tracked] or list(ROOT.rglob("*.py"))
    return [f for f in files if f.exists()]


def test_no_source_file_is_over_450_lines():
    long = {
        str(f.relative_to(ROOT)): n
        for f in tracked_python_files()
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these files (over {MAX_LINES} lines): {long}"
