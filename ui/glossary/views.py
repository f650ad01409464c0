"""The glossary page: its rows (pure, from the glossary and a Translator) and its Streamlit view.

Every term of ui/locales/glossary.toml is one row: the English word, the
Traditional Chinese word, the meaning in the page's language and a link to each
lab that shows the term. Rows are in English alphabetical order in both
languages (like a textbook's 英中名詞對照表) and grouped by the English word's
first letter; a search box filters them in either language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from lessons.registry import LABS, lab
from ui.i18n import ENGLISH, Translator, glossary
from ui.language import markdown, translator

COLUMNS = ("en", "zh", "meaning", "labs")
WIDTHS = (2, 2, 5, 4)
SEARCH_KEY = "glossary_search"
_ORDER = {entry.name: i for i, entry in enumerate(LABS)}


@dataclass(frozen=True)
class LabLink:
    """A lab that shows a term: its page, its icon and its title in the page's language."""

    name: str
    title: str
    page: str
    icon: str


@dataclass(frozen=True)
class Row:
    """One term of the glossary as the page shows it."""

    key: str
    en: str
    zh: str
    meaning: str
    """In the page's language."""
    labs: tuple[LabLink, ...]
    other_meaning: str = ""
    """In the other language: searched, not shown, so a search finds the same terms in both."""

    @property
    def letter(self) -> str:
        """The section it is listed under: the English word's first letter."""
        first = next((c for c in self.en if c.isalpha()), "#")
        return first.upper()

    def matches(self, query: str) -> bool:
        """Whether `query` (any case, either language) is in its words or its meaning."""
        needle = query.strip().casefold()
        return not needle or any(
            needle in text.casefold()
            for text in (self.en, self.zh, self.meaning, self.other_meaning, self.key)
        )


def glossary_rows(tr: Translator = ENGLISH, terms: Mapping[str, Any] | None = None) -> list[Row]:
    """Every term of `terms` (default: the glossary) in `tr`'s language, A to Z by English."""
    terms = glossary() if terms is None else terms
    rows = []
    for key, entry in terms.items():
        names = sorted(entry.get("labs", []), key=_ORDER.__getitem__)  # the navigation's order
        links = tuple(
            LabLink(name, tr(f"labs.{name}.title"), lab(name).page, lab(name).icon)
            for name in names
        )
        meaning = entry.get(f"meaning_{tr.language}") or entry.get("meaning_en", "")
        other = entry.get(f"meaning_{tr.other}", "")
        rows.append(Row(key, entry["en"], entry["zh-TW"], meaning, links, other))
    return sorted(rows, key=lambda row: (row.en.casefold(), row.key))


def search(rows: Iterable[Row], query: str) -> list[Row]:
    """The rows that match `query`, in their order (all of them for an empty query)."""
    return [row for row in rows if row.matches(query)]


def by_letter(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """The rows grouped under their first letter, keeping their order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.letter, []).append(row)
    return groups


def _header(tr: Translator) -> None:
    # Keyed for the phone's style (ui.page_style.PHONE): stacked, its four words name nothing.
    with st.container(key="glossary_header"):
        for column, name in zip(st.columns(WIDTHS), COLUMNS, strict=True):
            column.markdown(f"**{tr(f'glossary_page.columns.{name}')}**")


def _term(row: Row, tr: Translator) -> None:
    en, zh, meaning, labs = st.columns(WIDTHS)
    own = "zh" if tr.language == "zh-TW" else "en"
    en.markdown(f"**{row.en}**" if own == "en" else row.en)
    zh.markdown(f"**{row.zh}**" if own == "zh" else row.zh)
    meaning.markdown(row.meaning)
    with labs.container(horizontal=True, gap="small"):
        for link in row.labs:
            _link(link)


def _link(link: LabLink) -> None:
    """A link to the lab's page; a plain Markdown link when the page runs without the router.

    st.page_link only knows the pages app.py's st.navigation registered. NN Lab
    always runs its pages through the router (ui.router_guard), but a page
    opened on its own (AppTest.from_file, running the page file by itself)
    has no registered pages, so it links by URL path instead.
    """
    try:
        st.page_link(link.page, label=link.title, icon=link.icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"{link.icon} [{link.title}](./{link.name})", width="content")


def glossary_view() -> None:
    """The page below its title: introduction, search box and the terms, letter by letter."""
    tr = translator()
    rows = glossary_rows(tr)
    markdown("glossary_page.intro")
    query = st.text_input(
        tr("glossary_page.search"),
        key=SEARCH_KEY,
        placeholder=tr("glossary_page.search_placeholder"),
        help=tr("glossary_page.search_help"),
    )
    shown = search(rows, query)
    st.caption(tr("glossary_page.count", shown=len(shown), total=len(rows)))
    if not shown:
        st.info(tr("glossary_page.no_match", query=query.strip()))
        return
    _header(tr)
    # Keyed for the phone's style: each term's two words on one line, a rule between the terms.
    with st.container(key="glossary_terms"):
        for letter, group in by_letter(shown).items():
            st.subheader(letter, anchor=f"letter-{letter.lower()}", divider="gray")
            for row in group:
                _term(row, tr)
