"""The layout's rules that no linter checks: a UI-free core, and a docstring on every public name.

`data/`, `models/` and `lessons/` are pure Python: they run headless and from
the CLI, so neither they nor anything they import may load Streamlit or `ui/`.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.test_lint import tracked_python_files

ROOT = Path(__file__).resolve().parents[1]
CORE_PACKAGES = ("data", "models", "lessons")
UI_MODULES = ("streamlit", "ui")


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_packages_import_neither_streamlit_nor_ui():
    offenders = {}
    for package in CORE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found = _imported_roots(ast.parse(path.read_text(encoding="utf-8"))) & set(UI_MODULES)
            if found:
                offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert not offenders, f"UI imports in the pure-Python core: {offenders}"


# Imports every module of the core packages in a fresh interpreter, then lists what got loaded.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
names = []
for package in sys.argv[1:]:
    root = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("streamlit", "ui"))
print(json.dumps({"imported": names, "ui_loaded": loaded}))
"""


def test_importing_every_core_module_loads_no_streamlit():
    # A fresh interpreter: this test process has Streamlit loaded by the AppTests already.
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, *CORE_PACKAGES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"data.digits", "models.trainer", "lessons.backprop"} <= set(result["imported"])
    assert result["ui_loaded"] == []


def _undocumented(tree: ast.Module) -> list[str]:
    """Public functions and classes (and public methods of public classes) without a docstring."""
    missing = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if node.name.startswith("_"):
                continue
            if ast.get_docstring(node) is None:
                missing.append(f"{prefix}{node.name} (line {node.lineno})")
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return missing


def test_every_public_function_and_class_has_a_docstring():
    missing = {}
    for path in tracked_python_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests":  # a test's name says what it checks
            continue
        found = _undocumented(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            missing[str(relative)] = found
    assert not missing, f"add a docstring to: {missing}"


def test_the_docstring_check_sees_what_it_should():
    tree = ast.parse(
        "def public(): pass\n"
        "def _private(): pass\n"
        "class Shown:\n"
        "    '''Doc.'''\n"
        "    def method(self): pass\n"
        "    def _helper(self): pass\n"
        "class _Hidden:\n"
        "    def method(self): pass\n"
    )
    assert _undocumented(tree) == ["public (line 1)", "Shown.method (line 5)"]
