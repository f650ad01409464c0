"""Home: what NN Lab is, the learning loop from the slides, and a map of the labs."""

import streamlit as st

import ui  # noqa: F401  (runs the router guard, see ui/router_guard.py)
from lessons.registry import LABS, lab
from ui.page_header import page_header

LAB = lab("home")

page_header(LAB)
st.markdown(
    "Every lab here trains a real PyTorch network on your computer while you watch. "
    "Move a slider, press **Train**, and see the loss fall, the decision boundary bend, "
    "or the model read a digit you draw. The labs follow the course slides "
    "(深度學習 類神經網路介紹 · 主題四: 深度學習神經網路 DNN)."
)

st.header("Deep learning in three steps")
st.markdown(
    "1. **Define a set of functions**: the network's architecture. Every choice of weights is one function.\n"
    "2. **Measure how good a function is**: the loss, e.g. cross-entropy or mean squared error.\n"
    "3. **Pick the best function**: gradient descent moves the weights downhill on the loss."
)

st.header("The learning loop")
left, right = st.columns(2)
with left:
    st.subheader("1 · Forward propagation")
    st.markdown("Each layer multiplies by its weights, adds its bias and applies an activation G:")
    st.latex(r"Z^{(n)} = H^{(n-1)} W^{(n)} + B^{(n)}")
    st.latex(r"H^{(n)} = G\big(Z^{(n)}\big), \qquad H^{(0)} = X")
    st.subheader("2 · Loss")
    st.markdown("The output ŷ is compared with the truth y, e.g. the slides' squared error:")
    st.latex(r"L(\theta) = \tfrac12 \sum_k \big(\hat y_k - y_k\big)^2")
with right:
    st.subheader("3 · Backward propagation")
    st.markdown("The chain rule carries ∂L/∂Z from the output back to every layer:")
    st.latex(
        r"\frac{\partial L}{\partial Z^{(n-1)}} = \frac{\partial L}{\partial Z^{(n)}}"
        r"\frac{\partial Z^{(n)}}{\partial H^{(n-1)}}\frac{\partial H^{(n-1)}}{\partial Z^{(n-1)}}"
    )
    st.latex(
        r"\frac{\partial L}{\partial W^{(n)}} = \frac{\partial L}{\partial Z^{(n)}}\,H^{(n-1)}, \qquad"
        r"\frac{\partial L}{\partial B^{(n)}} = \frac{\partial L}{\partial Z^{(n)}}"
    )
    st.subheader("4 · Optimizer step")
    st.markdown("Each weight moves against its gradient, scaled by the learning rate η:")
    st.latex(r"w \leftarrow w - \eta\,\frac{\partial L}{\partial w}")
st.caption("Repeat over mini-batches until the loss stops falling: that is training.")

st.header("Output layer and loss, by task")
st.table(
    {
        "Task": ["Regression", "Binary classification", "Multiclass classification"],
        "Output activation": ["none (ŷ = Z)", "sigmoid", "softmax"],
        "Loss (torch.nn)": ["MSELoss", "BCELoss / BCEWithLogitsLoss", "CrossEntropyLoss"],
        "Lab": ["Boston housing", "XOR", "Iris, MNIST"],
    }
)

st.header("The labs")
cards = [entry for entry in LABS if not entry.default]
cols = st.columns(3)
for i, card in enumerate(cards):
    with cols[i % 3].container(border=True):
        st.page_link(card.page, label=f"**{card.title}**", icon=card.icon)
        st.caption(card.blurb)
