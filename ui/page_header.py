"""The top of every page: its title in the session's language and the slides it follows."""

from __future__ import annotations

import streamlit as st

from lessons.registry import Lab
from ui.language import begin_page, t


def page_header(lab: Lab) -> None:
    """Title the page and name its deck and section in the slides' own words.

    Also starts the page's run for the glossary: each term's first appearance
    on the page shows the other language's word on hover. A training lab
    first takes the settings of a link, an uploaded model or the coach
    (ui.experiment_settings), before any of its widgets is drawn.
    """
    # Imported here: they reach the engine (torch), which the router's first page
    # does not need (app.py imports this module only for section_key).
    from ui.experiment_link import settings_problems_ui
    from ui.experiment_settings import apply_pending

    begin_page()
    apply_pending(lab)
    st.title(t(f"labs.{lab.name}.heading"))
    if lab.slides:
        decks = " · ".join(f"「{title}」" for title in lab.slides)
        st.caption(t("labs.slides.follows", decks=decks))
    settings_problems_ui(lab.key)


def section_key(section: str) -> str:
    """The catalogue key of a registry section ("Exercises" -> "labs.sections.exercises")."""
    return "labs.sections." + section.lower().replace(" ", "_")
