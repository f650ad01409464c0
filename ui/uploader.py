"""A file uploader whose own words are in the page's language, and which says when it refuses a file.

Streamlit's `st.file_uploader` has no parameter for its text: its "Upload" button and its
"20MB per file • CSV" line stay English on a zh-TW page. Worse, a file of the wrong type or
over the size limit is refused in the browser, before the server sees it: the student gets a
red icon and an English tooltip, and the page cannot answer, since no file arrives. So this
wrapper puts the uploader in a keyed container and sends a style for that container only:
the button's and the limit line's words come from the catalogue, and a refused file (its chip
is marked `aria-invalid`) shows a sentence under the uploader. The selectors are those of the
pinned Streamlit (1.67); `tests/e2e/test_streamlit_words.py` checks them in a browser.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.language import t
from ui.page_style import css_text

# Streamlit's own sizes for the words replaced (14 px, as its captions), so the page looks
# the same in both languages.
FONT = "font-size: 0.875rem; line-height: 1.6;"
# The error icon's colour on a refused file's chip, so the sentence reads as that chip's.
REFUSED_COLOUR = "rgb(158, 48, 59)"


def uploader_style(box: str, types: Sequence[str], max_mb: int) -> str:
    """The style element for the uploader inside the container keyed `box` (see the module doc)."""
    kinds = t("common.uploader.type_separator").join(kind.upper() for kind in types)
    scope = f".st-key-{box}"
    button = f'{scope} [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    limit = f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span'
    refused = f'{scope} [data-testid="stFileUploader"]:has([aria-invalid="true"])::after'
    return (
        "<style>"
        f"{button}, {limit} {{font-size: 0 !important;}}"
        f"{button}::after {{content: {css_text(t('common.uploader.button'))}; {FONT}}}"
        f"{limit}::after {{content: {css_text(t('common.uploader.limit', mb=max_mb, kinds=kinds))};"
        f" {FONT}}}"
        f"{refused} {{content: {css_text(t('common.uploader.refused', mb=max_mb, kinds=kinds))};"
        f" display: block; margin-top: 0.25rem; color: {REFUSED_COLOUR}; {FONT}}}"
        "</style>"
    )


def file_uploader(
    label: str, *, types: Sequence[str], max_mb: int, key: str, help: str | None = None
):
    """`st.file_uploader(label, type=types, max_upload_size=max_mb, key=key, help=help)`, in the page's words.

    Returns what Streamlit's uploader returns: the UploadedFile, or None.
    """
    with st.container(key=f"{key}_box"):
        st.html(uploader_style(f"{key}_box", types, max_mb))
        return st.file_uploader(label, type=list(types), key=key, help=help, max_upload_size=max_mb)
