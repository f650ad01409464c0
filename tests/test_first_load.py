"""ui.first_load: a spinner the first time a key loads in the process, none at the reruns after."""

from contextlib import contextmanager

import pytest

import ui.first_load as first_load


@pytest.fixture
def spinners(monkeypatch):
    """The messages of every spinner shown, and a fresh set of loaded keys."""
    shown: list[str] = []

    @contextmanager
    def spinner(text):
        shown.append(text)
        yield

    monkeypatch.setattr(first_load.st, "spinner", spinner)
    monkeypatch.setattr(first_load, "_LOADED", set())
    return shown


def test_only_the_first_load_of_a_key_shows_its_spinner(spinners):
    for _ in range(3):
        with first_load.spinner_on_first_load(("dataset", "xor"), "common.loading_data"):
            pass
    with first_load.spinner_on_first_load(("dataset", "iris"), "common.loading_data"):
        pass
    assert spinners == ["Loading data…"] * 2


def test_a_load_that_raises_shows_its_spinner_again_next_time(spinners):
    key = ("boston_baselines", ("course", ("CRIM",), 404))
    with pytest.raises(ValueError):
        with first_load.spinner_on_first_load(key, "boston.fitting_baselines"):
            raise ValueError("the fit failed")
    with first_load.spinner_on_first_load(key, "boston.fitting_baselines"):
        pass
    with first_load.spinner_on_first_load(key, "boston.fitting_baselines"):
        pass
    assert len(spinners) == 2
