"""No user-visible string bypasses the catalogues: a scan of pages/ and ui/ for literal text.

Every literal string passed as text to a Streamlit element or widget, or to a Plotly
text argument, must come from ui/locales through t()/md()/tr(). Allowed literals hold
no English word: symbols, numbers, formulas, names (ReLU, MNIST …) and format patterns.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.apptest.language_checks import KINDS, NAMES, WIDGETS

ROOT = Path(__file__).resolve().parents[1]
# The elements and widgets the language checks read, and the calls that only take text.
STREAMLIT_TEXT = {
    *KINDS,
    *WIDGETS,
    "toast",
    "download_button",
    "file_uploader",
    "pills",
    "metric",
    "spinner",
    "page_link",
    "popover",
    "form_submit_button",
    "data_editor",
    "color_picker",
    "Page",
}
TEXT_KEYWORDS = {"label", "help", "text", "placeholder", "caption", "title"}
PLOTLY_KEYWORDS = {
    "title",
    "title_text",
    "name",
    "text",
    "hovertemplate",
    "xaxis_title",
    "yaxis_title",
    "legend_title",
    "legend_title_text",
    "colorbar_title",
    "texttemplate",
}
# Words that may appear in a literal: names that stay the same in every language, and the
# words of Plotly/HTML syntax inside templates (stripped below, listed for the rest).
# "max" and "min" are math functions in formula labels such as "w / max|w|".
ALLOWED_WORDS = NAMES | {"extra", "nnlab", "pth", "json", "csv", "png", "rmse", "mae", "max", "min"}
WORD = re.compile(r"[A-Za-z]{3,}")
KEY = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+\.?")  # a catalogue key (or a key prefix), not text
NOT_TEXT_CALLS = {"Thread"}  # thread names are for logs and tests, never shown
NOT_TEXT_RECEIVERS = {"_LOG"}  # the server's log (_LOG.warning), never shown to a student


def _english(text: str) -> list[str]:
    if KEY.fullmatch(text):
        return []
    text = re.sub(r"%\{[^}]*\}|\{[^}]*\}|<[^>]+>|\$[^$]*\$|:material/[a-z_]+:", " ", text)
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED_WORDS]


def _literal_parts(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_parts(node.left) + _literal_parts(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_parts(node.body) + _literal_parts(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [p for e in node.elts for p in _literal_parts(e)]
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "dict":
        return [p for k in node.keywords if k.arg in {"text"} for p in _literal_parts(k.value)]
    return []


def _findings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        receiver = getattr(getattr(node.func, "value", None), "id", None)
        if name in NOT_TEXT_CALLS or receiver in NOT_TEXT_RECEIVERS:
            continue
        texts: list[ast.AST] = []
        if name in STREAMLIT_TEXT:
            texts += node.args[:1] + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        texts += [k.value for k in node.keywords if k.arg in PLOTLY_KEYWORDS]
        for text in texts:
            for part in _literal_parts(text):
                if _english(part):
                    out.append(f"{path.relative_to(ROOT)}:{node.lineno}: {part!r}")
    return out


def test_no_literal_text_reaches_the_page():
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "ui").rglob("*.py"))
    found = [f for path in files for f in _findings(path)]
    assert not found, "text not taken from the catalogue:\n" + "\n".join(found)
