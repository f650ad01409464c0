"""'Link' beside the Train button: a link that reopens this experiment, and the same run as a command."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from lessons.registry import Lab
from models import ModelConfig, TrainConfig
from models.flags import command_of, parse_settings
from ui.experiment_settings import clear_problems, lab_query, settings_problems
from ui.i18n import QUERY_KEY
from ui.language import error_text, language, t


def page_url(lab: Lab) -> str:
    """This page's address in the browser without its query (a relative path where unknown)."""
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    if not parts.scheme:
        return f"/{lab.name}"
    # The page's own path: a training lab is never the default page, so it is in the address.
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def experiment_url(lab: Lab, model_config: ModelConfig, train_config: TrainConfig, dataset) -> str:
    """The link that reopens `lab` with these settings, in the session's language."""
    query = lab_query(lab, model_config, train_config, dataset)
    query[QUERY_KEY] = language()
    return f"{page_url(lab)}?{urlencode(query, safe=',')}"


def experiment_command(lab: Lab, model_config, train_config, dataset) -> str:
    """`python -m models.train …` for the same settings."""
    settings, _ = parse_settings(lab_query(lab, model_config, train_config, dataset))
    return command_of(lab.dataset, settings)


def experiment_link_ui(lab: Lab, model_config, train_config, dataset) -> None:
    """The 'Link' popover: the experiment's link and command, each with a copy button."""
    with st.popover(
        t("experiment.link.button"),
        icon=":material/link:",
        help=t("experiment.link.help"),
        width="stretch",
    ):
        st.markdown("**" + t("experiment.link.link_heading") + "**")
        st.code(
            experiment_url(lab, model_config, train_config, dataset), language=None, wrap_lines=True
        )
        st.caption(t("experiment.link.link_caption"))
        st.markdown("**" + t("experiment.link.command_heading") + "**")
        st.code(
            experiment_command(lab, model_config, train_config, dataset),
            language="bash",
            wrap_lines=True,
        )


def settings_problems_ui(lab_key: str) -> None:
    """One warning listing what the last link, file or suggestion could not set, each naming its key."""
    problems = settings_problems(lab_key)
    if not problems:
        return
    lines = "\n".join(f"- {error_text(p)}" for p in problems)
    st.warning(t("experiment.link.problems") + "\n\n" + lines)
    if st.button(t("experiment.link.dismiss"), key=f"{lab_key}_dismiss_settings"):
        clear_problems(lab_key)
        st.rerun()
