"""NN Lab in two languages: Traditional Chinese as used in Taiwan (zh-TW) and English (en).

One message catalogue per language, loaded once per process from the TOML
files in ui/locales/<language>/ (one file per part of the app, merged into one
dictionary; a file's stem is its keys' first part: `xor.toml`'s `title` is
"xor.title"). Each session has its own language, so every lookup goes
through that session (`t`, `md`), never through a process-wide setting: every
Streamlit session is a thread of one process, and one student's choice must
not change another's.

Terms come from one glossary (ui/locales/glossary.toml) built from the course
slides. A catalogue text writes a term as [[key]]; it comes out in the page's
language, and in Markdown the first time a term appears on a page it shows the
other language's word on hover.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-TW", "en")
LANGUAGE_NAMES = {"zh-TW": "繁體中文", "en": "English"}
DEFAULT_LANGUAGE = "en"
LOCALES = Path(__file__).resolve().parent / "locales"
TERM = re.compile(r"\[\[([a-z0-9_]+)\]\]")
QUERY_KEY = "lang"
_SESSION_KEY = "i18n::language"
_SEEN_KEY = "i18n::terms_seen"


def _flatten(table: Mapping[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(value, name, out)
        else:
            out[name] = str(value)


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """Every message of `language`, keyed "file.key" (read once per process, then shared read-only)."""
    out: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with path.open("rb") as f:
            _flatten(tomllib.load(f), path.stem, out)
    return out


@cache
def glossary() -> Mapping[str, Mapping[str, Any]]:
    """The course's terms: key -> {"en", "zh-TW", "meaning_en", "meaning_zh-TW", "labs"}."""
    with (LOCALES / "glossary.toml").open("rb") as f:
        return tomllib.load(f)


def normalize(language: str | None) -> str | None:
    """A supported language code for a URL value or browser locale, or None if it names none.

    Any Chinese locale gets zh-TW (the slides' language); codes are matched
    case-insensitively, so "zh-tw", "zh_TW" and "zh-Hant" all work.
    """
    if not language:
        return None
    code = str(language).strip().replace("_", "-").lower()
    if code.startswith("zh"):
        return "zh-TW"
    if code == "en" or code.startswith("en-"):
        return "en"
    return None


class Translator:
    """Lookups in one language's catalogue: `tr(key, **values)` for text, `tr.md(...)` for Markdown."""

    def __init__(self, language: str, seen: set[str] | None = None) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._seen = seen if seen is not None else set()

    @property
    def other(self) -> str:
        """The language that is not this one (shown on hover)."""
        return "en" if self.language == "zh-TW" else "zh-TW"

    def template(self, key: str) -> str:
        """The raw catalogue text for `key` (English when this language lacks it, the key when both do)."""
        text = catalogue(self.language).get(key)
        if text is None:
            text = catalogue(DEFAULT_LANGUAGE).get(key, key)
        return text

    def term(self, key: str, hover: bool = False) -> str:
        """Glossary term `key` in this language; with `hover`, as HTML showing the other language."""
        entry = glossary().get(key)
        if entry is None:
            return key
        word = entry[self.language]
        if not hover or key in self._seen:
            return word
        self._seen.add(key)
        return f'<abbr title="{html.escape(entry[self.other])}">{html.escape(word)}</abbr>'

    def __call__(self, key: str, **values: Any) -> str:
        """The message `key` with its {placeholders} filled and its [[terms]] as plain words."""
        text = TERM.sub(lambda m: self.term(m.group(1)), self.template(key))
        return text.format(**values) if values else text

    def md(self, key: str, **values: Any) -> str:
        """Like calling it, but each term's first appearance on the page shows the other language on hover.

        Draw the result with `st.markdown(..., unsafe_allow_html=True)` (ui.i18n.markdown does).
        """
        text = TERM.sub(lambda m: self.term(m.group(1), hover=True), self.template(key))
        return text.format(**values) if values else text

    def choice(self, prefix: str):
        """A format_func for widget options: option value v shows as message f"{prefix}.{v}"."""
        return lambda value: self(f"{prefix}.{value}")


ENGLISH = Translator("en")


def sentences(*parts: str) -> str:
    """Sentences joined as each language writes them: a space after ".", none after "。"."""
    out = ""
    for part in filter(None, parts):
        out += part if not out or out.endswith(("。", "！", "？", "」")) else " " + part
    return out
