"""Glossary: every course term in English and Traditional Chinese, its meaning and its labs."""

import ui  # noqa: F401  (runs the router guard, see ui/router_guard.py)
from lessons.registry import lab
from ui.glossary.views import glossary_view
from ui.page_header import page_header

LAB = lab("glossary")

page_header(LAB)
glossary_view()
