"""What a page shows a person, as text, and the English words in it (for the zh-TW checks)."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import VALUE_WIDGETS

# Names stay as they are in both languages (the rule), and so do units and
# code a student types: these may appear on a zh-TW page.
NAMES = {
    "relu",
    "leaky",
    "sigmoid",
    "tanh",
    "softplus",
    "softmax",
    "elu",
    "gaussian",
    "lstm",  # the recurrent cells' names (RNN, LSTM, GRU), as the slides write them
    "adam",
    "rmsprop",
    "momentum",
    "mnist",
    "pytorch",
    "torch",
    "keras",
    "autograd",
    "setosa",
    "versicolor",
    "virginica",
    "iris",
    "boston",
    "batchnorm",
    "dropout",
    "xavier",
    "glorot",
    "kaiming",
    "gelu",
    "rmse",
    "mae",
    "state_dict",
    "mseloss",
    "bceloss",
    "bcewithlogitsloss",
    "crossentropyloss",
    "linear",
    "conv2d",
    "maxpool2d",
    "flatten",
    "sequential",
    "cuda",
    "nvidia",
    "apple",
    "crim",
    "indus",
    "chas",
    "ptratio",
    "lstat",
    "medv",
    "sobel",
    "laplacian",
    "plotly",
    "streamlit",
    "numpy",
    "pandas",
    "scikit",
    "learn",
    "module",
    "forward",
    "backward",
    "epoch",
    "epochs",
}
WORD = re.compile(r"[A-Za-z][A-Za-z_']{3,}")
KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "exception",
)
LATEX_TEXT = re.compile(r"\\(?:text|mathrm|operatorname)\{([^{}]*)\}")
WIDGETS = (
    *VALUE_WIDGETS,
    "button",
    "checkbox",
    "text_input",
    "segmented_control",
    "tabs",
    "expander",
)


def _strip_markup(text: str) -> str:
    text = re.sub(r"%\{[^}]*\}", " ", text)  # Plotly's hover placeholders
    # Tags: an abbr's hover text is the other language on purpose.
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)  # LaTeX
    text = re.sub(r"`[^`]*`", " ", text)  # code
    return re.sub(r":material/[a-z_]+:", " ", text)


def _chart_texts(spec: dict) -> list[str]:
    out = []
    layout = spec.get("layout", {})
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis", "title", "legend")) and isinstance(value, dict):
            title = value.get("title", value.get("text"))
            if isinstance(title, dict):
                title = title.get("text")
            if isinstance(title, str):
                out.append(title)
    for ann in layout.get("annotations", []) or []:
        out.append(str(ann.get("text", "")))
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) and trace.get("name"):
            out.append(str(trace["name"]))
        for key in ("hovertemplate", "text"):
            value = trace.get(key)
            if isinstance(value, str):
                out.append(value)
    return out


def visible_texts(at: AppTest) -> list[str]:
    """Every text the page shows: elements, widget labels and options, chart titles, axes and legends."""
    texts: list[str] = []
    for kind in KINDS:
        for element in at.get(kind):
            value = getattr(element, "value", None)
            texts.append(str(value if value is not None else getattr(element, "body", "")))
    for element in at.get("latex"):  # formulas stay as they are; only their words are text
        texts.extend(LATEX_TEXT.findall(str(element.value)))
    for kind in WIDGETS:
        for widget in at.get(kind):
            texts.append(str(getattr(widget, "label", "") or ""))
            texts.append(str(getattr(widget.proto, "help", "") or ""))
            for option in getattr(widget, "options", []) or []:
                texts.append(str(option))
    for chart in at.get("plotly_chart"):
        texts.extend(_chart_texts(json.loads(chart.proto.spec)))
    for table in at.get("dataframe") + at.get("table"):
        try:
            texts.extend(str(c) for c in table.value.columns)
        except Exception:  # noqa: BLE001 (a table without columns shows none)
            pass
    return texts


def without_markup(text: str) -> str:
    """The text a reader sees, without HTML tags (a term's hover shows the other language)."""
    return re.sub(r"<[^>]+>", " ", text)


def english_words(at: AppTest, allowed: set[str] = frozenset()) -> list[str]:
    """The English words (4+ letters) the page shows that are not names or allowed here."""
    words = []
    for text in visible_texts(at):
        for word in WORD.findall(_strip_markup(text)):
            if word.lower().strip("'") not in NAMES and word.lower() not in allowed:
                words.append(word)
    return words
