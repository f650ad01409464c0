"""RNN lab: networks with memory (deck 003), the gradient through time, and what was measured."""

import streamlit as st

from lessons.registry import lab
from ui.datasets import load_dataset
from ui.language import markdown, t
from ui.page_header import page_header
from ui.rnn.controls import network_ui, rnn_training_ui, task_ui
from ui.rnn.measured import measured_ui, tips_ui
from ui.rnn.views import data_preview, live_views
from ui.training_view import training_panel

LAB = lab("rnn")

page_header(LAB)
markdown("rnn.intro")
with st.sidebar:
    st.header(t("rnn.data_header"))
    task = task_ui(LAB)
    dataset = load_dataset(task.task, **task.options())
    st.subheader(t("common.network"))
    model_config = network_ui(LAB.controls, dataset)
    st.subheader(t("common.training"))
    train_config = rnn_training_ui(LAB.controls)

markdown(f"rnn.task_text.{task.task}")
dataset_key = (LAB.name, task.task, task.seq_len, task.n_sequences, task.noise)
training_panel(
    LAB.key,
    dataset,
    dataset_key,
    model_config,
    train_config,
    live_views=lambda run: live_views(run, dataset_key),
    preview=lambda ds: data_preview(ds, dataset_key, model_config, train_config.seed),
)
measured_ui()
tips_ui()
