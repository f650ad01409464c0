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
from ui.page_header import page_header

LAB = lab("activations")

page_header(LAB)
st.markdown(
    "After each layer's weighted sum **Z = XW + B**, an activation **H = G(Z)** bends the line. "
    "Training needs its slope G′(Z): backpropagation multiplies one such slope per layer. "
    "The slopes below come from `torch.autograd`, the same machinery that trains the other labs."
)

curves = curve_ui()
if not curves.names:
    st.info("Pick at least one activation to plot.")
elif curves.hi <= curves.lo:
    st.warning("The x range is a single point. Drag the two ends of **x range** apart.")
else:
    data = {n: autograd_curve(n, curves.lo, curves.hi, alpha=curves.alpha) for n in curves.names}
    st.plotly_chart(activation_figure(data), key="act_curves")

st.subheader("Formulas")
st.caption(f"Leaky ReLU uses α = {curves.alpha:g} from the slider above.")
for row in formula_rows():
    if row["name"] not in curves.names:
        continue
    c1, c2, c3 = st.columns([1, 3, 3], vertical_alignment="center")
    c1.markdown(f"**{row['label']}**")
    c2.latex(row["latex"])
    c3.latex(row["derivative_latex"])
st.caption("Φ and φ are the standard normal distribution's CDF and density.")

st.subheader("Saturation and vanishing gradients")
st.markdown(
    f"Sigmoid's slope is largest at x = 0 and never exceeds **{max_derivative('sigmoid'):.4f}**. "
    "Far from 0 it *saturates*: the curve goes flat and the slope goes to 0. Backpropagation "
    "multiplies one slope per layer, so through a stack of sigmoids the gradient shrinks by at "
    "least 4× per layer. Below, a chain of single neurons hᵢ = f(w·hᵢ₋₁) shows how much gradient "
    "reaches each layer."
)
chain = chain_ui()
grads = all_chain_gradients(chain.depth, chain.x0, chain.weight, curves.alpha)
st.plotly_chart(layer_gradient_figure(grads), key="act_layers")
table = pd.DataFrame(
    {
        "activation": [LABELS[n] for n in grads],
        f"gradient after {chain.depth} layers": [g[-1] for g in grads.values()],
        f"0.25^{chain.depth}": 0.25**chain.depth,
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
st.caption(
    "With w = 1 a sigmoid chain can never beat 0.25 per layer. ReLU passes the gradient "
    "unchanged for positive inputs but kills it completely for negative ones; leaky ReLU keeps α "
    "per layer instead. A larger w can make the product grow instead: exploding gradients."
)
