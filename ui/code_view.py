"""The "Code" view of every training lab: the current run as one standalone PyTorch script.

The script comes from models.export for the sidebar's current settings (before
or after training), with a download button (st.code has the copy button), and
the data as the CSV files the script reads, zipped (data.export). The text is
cached by the settings; the zip is only built when the button is clicked.
"""

from __future__ import annotations

import streamlit as st

from data import Dataset
from data.csv_mnist import is_upload
from data.errors import CodedError
from data.export import csv_files, file_names, zip_bytes
from data.loader import DATASET_NAMES
from models import ModelConfig, TrainConfig
from models.export import DataSpec, data_spec, export_script
from ui.language import error_text, markdown, t
from ui.lazy_expander import lazy_expander

SCRIPT_NAME = "run.py"


@st.cache_data(max_entries=64, show_spinner=False)
def cached_script(model_config: ModelConfig, train_config: TrainConfig, spec: DataSpec) -> str:
    """export_script for these settings, once per distinct settings (the script is in English)."""
    return export_script(model_config, train_config, spec)


def data_zip(dataset: Dataset) -> bytes:
    """The dataset's training and validation rows as the script's CSV files, in one zip.

    A built-in dataset's zip is made once per server and shared (all of MNIST is
    130 MB of CSV before zipping: a class clicking at once would otherwise make
    it thirty times); a student's own table, or own MNIST CSV, is zipped per click.
    """
    if dataset.name in DATASET_NAMES and not is_upload(dataset.options):
        options = tuple(sorted((k, _hashable(v)) for k, v in dataset.options.items()))
        return _shared_zip((dataset.name, dataset.split, options), dataset)
    return zip_bytes(csv_files(dataset))


@st.cache_resource(max_entries=8, show_spinner=False)
def _shared_zip(key: tuple, _dataset: Dataset) -> bytes:
    """The zip of a built-in dataset, once per `key` (its name, split and options)."""
    return zip_bytes(csv_files(_dataset))


def _hashable(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def code_view_ui(
    key: str, dataset: Dataset, model_config: ModelConfig, train_config: TrainConfig
) -> None:
    """An expander with the script for the current settings, its download and the data's.

    Built only while it is open (ui.lazy_expander).
    """
    with lazy_expander(t("code.title"), key=f"{key}_code_open") as is_open:
        if not is_open:
            return
        try:
            script = cached_script(model_config, train_config, data_spec(dataset))
        except CodedError as exc:
            st.info(t("code.unavailable", reason=error_text(exc)))
            return
        markdown("code.intro")
        left, right = st.columns(2)
        left.download_button(
            t("code.download_script"),
            script,
            file_name=SCRIPT_NAME,
            mime="text/x-python",
            key=f"{key}_code_script",
            on_click="ignore",
            width="stretch",
        )
        # A callable: the CSV text (130 MB for all of MNIST) is made only on a click.
        right.download_button(
            t("code.download_data"),
            lambda: data_zip(dataset),
            file_name=f"nnlab_{key}_data.zip",
            mime="application/zip",
            key=f"{key}_code_data",
            on_click="ignore",
            width="stretch",
        )
        train_file, valid_file = file_names(dataset.input_shape)
        st.caption(t("code.how_to_run", train=train_file, valid=valid_file))
        st.code(script, language="python", line_numbers=True)
