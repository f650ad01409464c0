"""Home: what NN Lab is, the learning loop from the slides, and a map of the labs."""

import streamlit as st

import ui  # noqa: F401  (runs the router guard, see ui/router_guard.py)
from lessons.registry import LABS, lab
from ui.language import markdown, t
from ui.page_header import page_header

LAB = lab("home")

page_header(LAB)
markdown("home.intro")

st.header(t("home.three_steps.title"))
markdown("home.three_steps.body")

st.header(t("home.loop.title"))
left, right = st.columns(2)
with left:
    st.subheader(t("home.loop.forward"))
    markdown("home.loop.forward_text")
    st.latex(r"Z^{(n)} = H^{(n-1)} W^{(n)} + B^{(n)}")
    st.latex(r"H^{(n)} = G\big(Z^{(n)}\big), \qquad H^{(0)} = X")
    st.subheader(t("home.loop.loss"))
    markdown("home.loop.loss_text")
    st.latex(r"L(\theta) = \tfrac12 \sum_k \big(\hat y_k - y_k\big)^2")
with right:
    st.subheader(t("home.loop.backward"))
    markdown("home.loop.backward_text")
    st.latex(
        r"\frac{\partial L}{\partial Z^{(n-1)}} = \frac{\partial L}{\partial Z^{(n)}}"
        r"\frac{\partial Z^{(n)}}{\partial H^{(n-1)}}\frac{\partial H^{(n-1)}}{\partial Z^{(n-1)}}"
    )
    st.latex(
        r"\frac{\partial L}{\partial W^{(n)}} = \frac{\partial L}{\partial Z^{(n)}}\,H^{(n-1)}, \qquad"
        r"\frac{\partial L}{\partial B^{(n)}} = \frac{\partial L}{\partial Z^{(n)}}"
    )
    st.subheader(t("home.loop.step"))
    markdown("home.loop.step_text")
    st.latex(r"w \leftarrow w - \eta\,\frac{\partial L}{\partial w}")
st.caption(t("home.loop.repeat"))

st.header(t("home.tasks.title"))
TASKS = ("regression", "binary", "multiclass")
st.table(
    {
        t("home.tasks.task"): [t(f"home.tasks.{k}.name") for k in TASKS],
        t("home.tasks.activation"): [t(f"home.tasks.{k}.activation") for k in TASKS],
        t("home.tasks.loss"): ["MSELoss", "BCELoss / BCEWithLogitsLoss", "CrossEntropyLoss"],
        t("home.tasks.lab"): [t(f"home.tasks.{k}.lab") for k in TASKS],
    }
)

st.header(t("home.labs"))
cards = [entry for entry in LABS if not entry.default]
# One row of columns per three cards: on a phone the columns stack, and row by row the cards
# keep the sidebar's order (column by column, they read XOR, MNIST, Activations, ...).
for row in range(0, len(cards), 3):
    for col, card in zip(st.columns(3), cards[row : row + 3], strict=False):
        with col.container(border=True):
            st.page_link(card.page, label=f"**{t(f'labs.{card.name}.title')}**", icon=card.icon)
            st.caption(t(f"labs.{card.name}.blurb"))
