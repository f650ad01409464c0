"""NN Lab entry point: `streamlit run app.py`.

This file is only the router. Every page lives in `pages/` and every piece of
shared Streamlit code in `ui/`; the engine (`data/`, `models/`) never imports
streamlit.
"""

import streamlit as st

from ui.warmup import warm_up_in_background

st.set_page_config(page_title="NN Lab", page_icon=":material/neurology:", layout="wide")

PAGES = {
    "NN Lab": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Exercises": [
        st.Page("pages/xor.py", title="XOR", icon=":material/scatter_plot:"),
        st.Page("pages/iris.py", title="Iris", icon=":material/local_florist:"),
        st.Page("pages/boston.py", title="Boston housing", icon=":material/house:"),
        st.Page("pages/mnist.py", title="MNIST digits", icon=":material/draw:"),
    ],
    "Concepts": [
        st.Page("pages/activations.py", title="Activation functions", icon=":material/function:"),
        st.Page("pages/convolution.py", title="Convolution and pooling", icon=":material/grid_on:"),
        st.Page("pages/backprop.py", title="Backpropagation step by step", icon=":material/undo:"),
        st.Page(
            "pages/universal_approximation.py",
            title="Universal approximation",
            icon=":material/show_chart:",
        ),
        st.Page("pages/optimizers.py", title="Optimizers", icon=":material/landscape:"),
    ],
}

warm_up_in_background()
st.navigation(PAGES).run()
