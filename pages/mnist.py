"""MNIST lab: train an MLP or a CNN on handwritten digits, draw your own, and look inside the model."""

import numpy as np
import streamlit as st

from ui.figures.digits import examples_figure
from ui.mnist_controls import is_course_recipe, mnist_controls_ui
from ui.mnist_data import mnist_data_ui
from ui.mnist_draw import draw_view
from ui.mnist_inspect import inspect_view
from ui.mnist_live import live_estimate
from ui.mnist_models import active_model, model_choice_ui
from ui.mnist_recipe import recipe_explainer
from ui.state import LabState, lab_state, save_widgets
from ui.training_view import training_panel


def data_preview(ds) -> None:
    """Before training: the first training image of each digit, as the network gets them."""
    y = np.asarray(ds.y_train)
    found = [(c, int(np.argmax(y == c))) for c in range(len(ds.class_names)) if (y == c).any()]
    st.plotly_chart(
        examples_figure(
            ds.X_train[[i for _, i in found]],
            [ds.class_names[c] for c, _ in found],
            title=f"One of each digit, from {len(y):,} training images",
        ),
        width="stretch",
    )
    h, w = ds.input_shape[-2:]
    st.caption(
        f"Each is {h}×{w} grey levels: the network reads {h * w} numbers and answers with "
        f"{len(ds.class_names)} scores, one per digit."
    )


def after_training(state: LabState) -> None:
    """Under the training panel: where the new model went, and the course recipe's explanation."""
    run = state.run
    if run is None or run.step == 0 or state.running:
        return
    last = run.history.latest()
    if run.done and last and "valid_accuracy" in last:
        st.success(
            f"Your model reads {last['valid_accuracy']:.1%} of the validation digits correctly. "
            "It now reads your drawings in **Draw** and is the one shown in **Inspect**."
        )
    if is_course_recipe(run.model_config, run.train_config):
        ds = run.dataset
        recipe_explainer(
            run.model,
            ds.X_train,
            np.asarray(ds.y_train),
            last.get("valid_accuracy") if last else None,
        )


st.title("MNIST: teach a network to read handwriting")
st.markdown(
    "70,000 handwritten digits, 28×28 pixels each: 60,000 to learn from and 10,000 to check on. "
    "**Draw** a digit for a pretrained model right away, **Train** your own MLP or CNN (it then reads "
    "your drawings instead), and **Inspect** what it gets wrong and what its first layer learned."
)
with st.sidebar:
    st.header("MNIST data")
    dataset, dataset_key = mnist_data_ui()
    model_config, train_config = mnist_controls_ui(dataset)

state = lab_state("mnist")
choice = model_choice_ui(state)
draw_tab, train_tab, inspect_tab = st.tabs(
    ["Draw", "Train", "Inspect"], key="mnist_tab", on_change="rerun"
)
with draw_tab:
    draw_view()
with train_tab:
    # Rendered even when hidden: its fragment keeps training while the student draws.
    training_panel(
        "mnist",
        dataset,
        dataset_key,
        model_config,
        train_config,
        live_views=live_estimate,
        preview=data_preview,
    )
    after_training(state)
if inspect_tab.open:  # scoring 10,000 digits only when someone looks
    with inspect_tab:
        inspect_view(
            active_model(state, choice), state, dataset, builtin=dataset_key[1] == "builtin"
        )
save_widgets()
