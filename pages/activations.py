"""Activation functions lab: curves, derivatives, formulas and vanishing gradients."""

import pandas as pd
import streamlit as st

from lessons.activation_stats import (
    LABELS,
    all_chain_gradients,
    autograd_curve,
    formula_rows,
    max_derivative,
)
from lessons.registry import lab
from ui.concepts.activations.controls import chain_ui, curve_ui
from ui.concepts.activations.figures import activation_figure, layer_gradient_figure
from ui.language import markdown, md, t, translator
from ui.page_header import page_header

LAB = lab("activations")

page_header(LAB)
tr = translator()
markdown("activations.intro")

curves = curve_ui()
if not curves.names:
    st.info(t("activations.curves.none_chosen"))
elif curves.hi <= curves.lo:
    st.warning(t("activations.curves.single_point"))
else:
    data = {n: autograd_curve(n, curves.lo, curves.hi, alpha=curves.alpha) for n in curves.names}
    st.plotly_chart(activation_figure(data, tr=tr), key="act_curves")

st.subheader(t("activations.formulas.title"))
st.caption(t("activations.formulas.alpha_caption", alpha=curves.alpha))
rows = [row for row in formula_rows() if row["name"] in curves.names]
widths = [1, 3, 3]
if rows:  # the slides' table headers: name, equation, derivative
    for column, key in zip(st.columns(widths), ("name", "equation", "derivative"), strict=True):
        column.markdown(f"**{md(f'activations.formulas.{key}')}**", unsafe_allow_html=True)
for row in rows:
    c1, c2, c3 = st.columns(widths, vertical_alignment="center")
    c1.markdown(f"**{row['label']}**")
    c2.latex(row["latex"])
    c3.latex(row["derivative_latex"])
st.caption(t("activations.formulas.gelu_caption"))

st.subheader(t("activations.vanishing.title"))
markdown("activations.vanishing.text", max_slope=max_derivative("sigmoid"))
chain = chain_ui()
grads = all_chain_gradients(chain.depth, chain.x0, chain.weight, curves.alpha)
best = max_derivative("sigmoid") * abs(chain.weight)  # sigmoid's largest factor a layer
st.plotly_chart(layer_gradient_figure(grads, bound=best, tr=tr), key="act_layers")
table = pd.DataFrame(
    {
        t("activations.vanishing.activation_column"): [LABELS[n] for n in grads],
        t("activations.vanishing.gradient_column", depth=chain.depth): [
            g[-1] for g in grads.values()
        ],
        f"(0.25·|w|)^{chain.depth}": best**chain.depth,
    }
)
st.dataframe(
    table,
    hide_index=True,
    column_config={
        table.columns[1]: st.column_config.NumberColumn(format="%.3e"),
        table.columns[2]: st.column_config.NumberColumn(format="%.3e"),
    },
)
st.caption(t("activations.vanishing.caption"))
