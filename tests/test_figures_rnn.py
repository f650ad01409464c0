"""The RNN lab's gradient-through-time figure: the starting network dashed, as its caption says."""

import numpy as np

from ui.rnn.figures import gradient_time_figure


def test_the_starting_networks_line_is_dashed_without_markers_over_it():
    # With markers on each of 30 short steps, the dashes read as grey dots.
    fig = gradient_time_figure(np.linspace(1, 0.1, 30), np.linspace(1, 1e-3, 30))
    at_init, now = fig.data
    assert at_init.line.dash == "dash" and at_init.mode == "lines"
    assert now.mode == "lines+markers"  # the network now: each step a point
