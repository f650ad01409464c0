"""MNIST lab figures and helpers: probability bars, preprocessing steps, weight tiles, mistakes."""

import numpy as np
import pytest
import torch

from data.digits import preprocess_steps
from models import ModelConfig, build_model
from ui.mnist.figures import (
    enlarge,
    examples_figure,
    framed,
    probability_figure,
    step_images,
    tile_mosaic,
    to_uint8,
    weights_figure,
)
from ui.mnist.inspect import first_layer_tiles, worst_mistakes


def test_probability_figure_highlights_the_most_likely_digit():
    p = np.full(10, 0.02)
    p[7] = 0.82
    fig = probability_figure(p)
    bar = fig.data[0]
    assert list(bar.x) == [str(d) for d in range(10)]
    assert bar.y[7] == pytest.approx(0.82)
    assert len(set(bar.marker.color)) == 2 and bar.marker.color[7] != bar.marker.color[0]
    assert "most likely: 7" in fig.layout.title.text


def test_probability_figure_is_valid_plotly_although_built_unvalidated():
    import plotly.graph_objects as go

    spec = probability_figure(np.full(10, 0.1)).to_dict()
    go.Figure(spec)  # Plotly's validation raises on any misspelt property


def test_probability_figure_rejects_wrong_length():
    with pytest.raises(ValueError, match="10 probabilities"):
        probability_figure(np.ones(3) / 3)


def test_enlarge_keeps_pixels_square_and_crisp():
    img = np.zeros((28, 28), np.uint8)
    img[0, 0] = 255
    big = enlarge(img, 84)
    assert big.shape == (84, 84)
    assert (big[:3, :3] == 255).all() and big[3, 3] == 0  # nearest neighbour: no blur
    assert enlarge(np.zeros((0, 0)), 50).shape == (50, 50)
    assert enlarge(np.ones((280, 280)), 112).shape == (112, 112)  # big drawings shrink


def test_to_uint8_scales_floats():
    np.testing.assert_array_equal(to_uint8(np.array([[0.0, 0.5, 1.0, 2.0]])), [[0, 128, 255, 255]])


def test_framed_centres_on_a_fixed_square():
    out = framed(np.ones((10, 20)), 112)
    assert out.shape == (112, 112)
    assert out[0, 0] == 90  # grey frame
    assert out[56, 56] == 255 and out[20, 56] == 0  # wide image centred vertically


def test_step_images_show_the_four_stages():
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[20:120, 200:215, 3] = 255  # a small "1" in the top-right corner
    steps = preprocess_steps(canvas)
    images = step_images(steps, size=100)
    assert len(images) == 4
    assert all(img.shape == (100, 100) and img.dtype == np.uint8 for img, _ in images)
    assert "(15×100)" in images[1][1]  # cropped to the ink
    assert "(3×20)" in images[2][1]  # longer side 20 px
    assert "28×28" in images[3][1]
    # The final image's ink is centred although the drawing was in a corner.
    ys, xs = np.nonzero(steps.centred)
    assert abs(xs.mean() - 14) < 1.5 and abs(ys.mean() - 14) < 1.5


def test_step_images_of_a_blank_drawing_do_not_fail():
    steps = preprocess_steps(np.zeros((280, 280, 4), np.uint8))
    assert steps.blank
    assert len(step_images(steps)) == 4


def test_examples_figure_labels_each_image_under_its_centre_and_scales_to_0_1():
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    images[1, 10, 10] = 255
    fig = examples_figure(images, ["a", "b", "c"], "t")
    z = np.asarray(fig.data[0].z, dtype=float)
    assert z.shape == (28, 3 * 28 + 2 * 4) and np.nanmax(z) == 1.0 and z[10, 28 + 4 + 10] == 1.0
    assert list(fig.layout.xaxis.ticktext) == ["a", "b", "c"]
    assert list(fig.layout.xaxis.tickvals) == [
        13.5,
        13.5 + 32,
        13.5 + 64,
    ]  # the middle of each image
    assert (
        examples_figure(np.zeros((0, 28, 28)), [], "none").data[0].z is not None
    )  # no images: no error


def test_tile_mosaic_lays_out_tiles_with_gaps():
    tiles = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    m = tile_mosaic(tiles, cols=3)
    assert m.shape == (2 * 2 + 1, 3 * 3 + 2)
    np.testing.assert_array_equal(m[0:2, 0:3], tiles[0])
    np.testing.assert_array_equal(m[3:5, 4:7], tiles[4])
    assert np.isnan(m[2]).all() and np.isnan(m[3:5, 8:]).all()  # gap row, empty last slot


def test_weights_figure_scales_each_tile_to_its_peak():
    tiles = np.stack([np.full((3, 3), 0.01), np.full((3, 3), -5.0)])
    fig = weights_figure(tiles, "filters", cols=2)
    z = np.array(fig.data[0].z, dtype=float)
    assert np.nanmax(z) == pytest.approx(1.0) and np.nanmin(z) == pytest.approx(-1.0)


def _cfg(kind):
    return ModelConfig(
        input_shape=(28, 28),
        n_outputs=10,
        task="multiclass",
        kind=kind,
        hidden=[16],
        conv_channels=[4, 8],
    )


def test_first_layer_tiles_of_an_mlp_and_a_cnn():
    torch.manual_seed(0)
    tiles, kind = first_layer_tiles(build_model(_cfg("mlp")))
    assert kind == "dense" and tiles.shape == (16, 28, 28)
    tiles, kind = first_layer_tiles(build_model(_cfg("cnn")))
    assert kind == "conv" and tiles.shape == (4, 3, 3)


def test_worst_mistakes_most_confident_first():
    y = np.array([1, 2, 3, 4, 5])
    pred = np.array([1, 7, 3, 9, 0])
    conf = np.array([0.9, 0.6, 0.8, 0.95, 0.7])
    np.testing.assert_array_equal(worst_mistakes(y, pred, conf), [3, 4, 1])
    np.testing.assert_array_equal(worst_mistakes(y, pred, conf, true_digit=2), [1])
    assert len(worst_mistakes(y, pred, conf, n=2)) == 2
    assert len(worst_mistakes(y, y, conf)) == 0


def test_validation_predictions_are_not_mixed_up_when_an_id_is_reused(monkeypatch):
    # Cached by id() they were: after Reset, CPython may give the next run (or the next
    # upload's array) the freed object's id, and Inspect showed the old model's mistakes.
    # Now the cache is keyed on the model's version (run generation, step, epoch).
    import data
    import ui.mnist.models as mm
    from ui.mnist.session import MnistSession

    monkeypatch.setattr(mm, "id", lambda obj: 1, raising=False)  # every object shares one id
    X1 = data.load("mnist", n_train=1, n_valid=60).X_valid
    X2 = X1[::-1].copy()
    torch.manual_seed(1)
    a = build_model(_cfg("mlp"))
    torch.manual_seed(2)
    b = build_model(_cfg("mlp"))
    cache = MnistSession()
    for model, X, version in ((a, X1, (1, 10, 1)), (b, X1, (2, 10, 1)), (b, X2, (2, 10, 1))):
        active = mm.ActiveModel(model, "yours", "", version)
        got = mm.predictions_for(active, X, builtin=False, cache=cache)
        np.testing.assert_array_equal(got[1], mm.validation_predictions(model, X)[1])
    # A pretrained model on an uploaded set: a new array of the same length is read anew.
    for X in (X1, X2):
        got = mm.predictions_for(
            mm.ActiveModel(a, "mlp", "", ("mlp",)), X, builtin=False, cache=cache
        )
        np.testing.assert_array_equal(got[1], mm.validation_predictions(a, X)[1])


def test_probability_figure_and_step_captions_in_chinese():
    from ui.i18n import Translator

    zh = Translator("zh-TW")
    fig = probability_figure(np.full(10, 0.1), tr=zh)
    assert fig.layout.title.text.startswith("每個數字的機率")
    assert fig.layout.xaxis.title.text == "數字" and fig.data[0].hovertemplate.startswith("數字")
    steps = preprocess_steps(
        np.pad(np.full((100, 15, 4), 255, np.uint8), ((20, 160), (200, 65), (0, 0)))
    )
    captions = [caption for _, caption in step_images(steps, tr=zh)]
    assert captions[1] == "2. 裁切到只剩筆跡（15×100）"
    assert "28×28" in captions[3] and "質心" in captions[3]
