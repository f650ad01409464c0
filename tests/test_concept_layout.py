"""The concept labs' shared style gives every figure "plotly_white", set unvalidated but equal."""

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import ui.concepts.layout as layout
from lessons.activation_stats import LAB_ORDER, autograd_curve
from lessons.loss_surfaces import SURFACES
from lessons.optimizer_paths import compare
from ui.concepts.activations.figures import activation_figure
from ui.concepts.convolution.figures import grid_figure
from ui.concepts.optimizers.figures import loss_curves_figure, paths_figure
from ui.concepts.universal_approximation.figures import fit_figure


def _validated(fig: go.Figure) -> go.Figure:
    """The route `style` replaced: Plotly validates (deep-copies) the named template."""
    return fig.update_layout(template="plotly_white")


def _paths():
    surface = SURFACES["Bowl"]
    return surface, compare(surface, dict(surface.suggested_lr[:2]), steps=10)


X = np.linspace(-2, 2, 20)
# Each builds one of the labs' figures; called only by the test that uses it.
BUILDERS = {
    "activations": lambda: activation_figure(
        {n: autograd_curve(n, -3, 3, n=20) for n in LAB_ORDER}
    ),
    "convolution grid": lambda: grid_figure(np.arange(9.0).reshape(3, 3), "grid"),
    "optimizer paths": lambda: paths_figure(*_paths(), upto=5, grid=20),
    "optimizer losses": lambda: loss_curves_figure(_paths()[1]),
    "universal approximation": lambda: fit_figure(X, np.sin(X), X[:5], np.sin(X[:5]), X),
}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_concept_figure_is_what_the_validated_template_would_give(name, monkeypatch):
    build = BUILDERS[name]
    fast = build()
    monkeypatch.setattr(layout, "white_template", _validated)
    slow = build()
    assert fast.to_plotly_json() == slow.to_plotly_json()
    assert fast.layout.template.layout.plot_bgcolor == "white"


def test_the_shared_template_is_copied_into_each_figure_never_shared():
    before = pio.templates["plotly_white"].to_plotly_json()
    first = layout.style(go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), "first")
    first.layout.template.layout.font.size = 31  # a student's figure edited later
    second = layout.style(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "second")
    assert second.layout.template.layout.font.size is None
    assert pio.templates["plotly_white"].to_plotly_json() == before
    # Validation is back on: a wrong property still raises.
    with pytest.raises(ValueError):
        second.update_layout(not_a_property=1)


def test_a_template_given_to_style_wins():
    fig = layout.style(go.Figure(), template="plotly_dark")
    assert (
        fig.layout.template.layout.paper_bgcolor
        == pio.templates["plotly_dark"].layout.paper_bgcolor
    )
