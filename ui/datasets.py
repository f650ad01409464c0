"""Datasets for the pages, loaded once per server process and shared read-only.

Sharing is safe because nothing mutates a Dataset (MNIST's arrays are even
marked read-only); only *runs* are per session.
"""

from __future__ import annotations

import streamlit as st

import data
from data import Dataset
from data.sequences import SEQUENCE_TASKS
from ui.first_load import spinner_on_first_load


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_dataset(name: str, split: str = "recommended", seed: int = 0, **options) -> Dataset:
    """data.load, once per argument set for the life of the server."""
    for key, value in options.items():
        if isinstance(value, list):  # lists aren't hashable cache keys; callers pass tuples
            options[key] = list(value)
    return data.load(name, split=split, seed=seed, **options)


@st.cache_resource(show_spinner=False, max_entries=16)
def _cached_sequences(name: str, split: str = "recommended", seed: int = 0, **options) -> Dataset:
    """data.load for the generated sequence tasks, in a cache of their own."""
    return data.load(name, split=split, seed=seed, **options)


def load_dataset(name: str, split: str = "recommended", seed: int = 0, **options) -> Dataset:
    """data.load, cached per argument set for the life of the server (a spinner at its first load).

    The recurrent lab's sequences (one per task, length, count and noise that a
    student tries) have a small cache of their own, so sliding T never pushes
    MNIST out of the shared one.
    """
    cached = _cached_sequences if name in SEQUENCE_TASKS else _cached_dataset
    key = ("dataset", name, split, seed, repr(sorted(options.items())))
    with spinner_on_first_load(key, "common.loading_data"):
        return cached(name, split, seed, **options)
