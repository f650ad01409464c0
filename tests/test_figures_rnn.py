"""The RNN lab's figures: the starting network dashed, as its caption says; targets as read."""

import numpy as np

import data
from ui.rnn.figures import gradient_time_figure, sequences_figure


def test_the_starting_networks_line_is_dashed_without_markers_over_it():
    # With markers on each of 30 short steps, the dashes read as grey dots.
    fig = gradient_time_figure(np.linspace(1, 0.1, 30), np.linspace(1, 1e-3, 30))
    at_init, now = fig.data
    assert at_init.line.dash == "dash" and at_init.mode == "lines"
    assert now.mode == "lines+markers"  # the network now: each step a point


def test_a_class_target_reads_as_a_class_and_a_value_as_a_number():
    bits = data.load("first_symbol")
    names = [
        t.name for t in sequences_figure(bits.X_train, bits.y_train, bits.name, bits.task).data
    ]
    assert names == [f"sequence {i + 1} → {int(bits.y_train[i])}" for i in range(3)]
    wave = data.load("noisy_wave")
    names = [
        t.name for t in sequences_figure(wave.X_train, wave.y_train, wave.name, wave.task).data
    ]
    assert names[0] == f"sequence 1 → {wave.y_train[0]:.2f}"
