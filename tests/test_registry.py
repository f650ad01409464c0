"""The lab registry is the one list of labs: pages, router, home page, CLI and tests agree with it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import data
from lessons.registry import (
    LABS,
    SECTIONS,
    ControlSpec,
    cli_datasets,
    controls,
    lab,
    lab_with_key,
    sections,
)
from models.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def test_every_lab_has_its_page_and_a_unique_name_and_key():
    names = [entry.name for entry in LABS]
    assert len(set(names)) == len(names)
    assert len({entry.key for entry in LABS}) == len(LABS)
    for entry in LABS:
        assert (ROOT / entry.page).is_file(), entry.page
        assert Path(entry.page).stem == entry.name  # the URL path Streamlit derives from the file
        assert entry.section in SECTIONS and entry.title and entry.heading and entry.blurb
        assert entry.icon.startswith(":material/")
    assert sum(entry.default for entry in LABS) == 1


def test_every_page_in_pages_is_registered():
    assert {p.stem for p in (ROOT / "pages").glob("*.py")} == {entry.name for entry in LABS}


def test_datasets_and_cli_choices_come_from_the_registry():
    for entry in LABS:
        if entry.dataset is not None:
            assert entry.dataset in data.DATASET_NAMES
    assert cli_datasets() == (
        "xor",
        "iris",
        "boston",
        "mnist",
        "first_symbol",
        "noisy_wave",
        "marked_sum",
    )
    action = next(a for a in build_parser()._actions if "--dataset" in a.option_strings)
    assert tuple(action.choices) == cli_datasets()


def test_sections_keep_registry_order_and_lose_nothing():
    grouped = sections()
    assert list(grouped) == list(SECTIONS)
    assert [entry for labs in grouped.values() for entry in labs] == sorted(
        LABS, key=lambda e: SECTIONS.index(e.section)
    )


def test_lookups_name_what_exists():
    assert lab("xor").controls.prefix == "xor"
    assert isinstance(controls("universal_approximation"), ControlSpec)
    with pytest.raises(KeyError, match="the labs are home, xor"):
        lab("sine")
    with pytest.raises(KeyError, match="no hyperparameter controls"):
        controls("activations")


def test_control_specs_are_frozen():
    with pytest.raises(AttributeError):
        controls("xor").lr = 1.0  # type: ignore[misc]


def _source_files() -> list[str]:
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return files or [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py")]


def test_each_page_path_is_written_in_one_source_file_outside_pages_and_tests():
    outside = [
        f for f in _source_files() if not f.startswith(("pages/", "tests/")) and (ROOT / f).exists()
    ]
    for entry in LABS:
        pattern = re.compile(rf"pages/{entry.name}\.py|[\"']{entry.name}\.py[\"']")
        holders = [f for f in outside if pattern.search((ROOT / f).read_text(encoding="utf-8"))]
        # The registry builds "pages/<name>.py" from the name; no other file spells a page's path.
        assert holders in ([], ["lessons/registry.py"]), (entry.name, holders)
    registry = (ROOT / "lessons" / "registry.py").read_text(encoding="utf-8")
    assert 'f"pages/{self.name}.py"' in registry


def test_the_router_and_home_page_read_the_registry():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    home = (ROOT / "pages" / "home.py").read_text(encoding="utf-8")
    assert "sections()" in app and '.py"' not in app
    assert "LABS" in home and '.py"' not in home


def test_the_settings_each_lab_takes_are_cli_flags_and_its_kinds_are_model_kinds():
    from models.config import MODEL_KINDS
    from models.flags import FLAGS

    for entry in LABS:
        if entry.controls is None:
            continue
        spec = entry.controls
        assert set(spec.flags) <= set(FLAGS), (entry.name, set(spec.flags) - set(FLAGS))
        assert len(set(spec.flags)) == len(spec.flags), entry.name
        assert spec.kinds and set(spec.kinds) <= set(MODEL_KINDS), entry.name
        # A picker that offers one kind has no "model" setting to take.
        assert ("model" in spec.flags) == (len(spec.kinds) > 1), entry.name
    # Universal approximation's page has controls but takes no settings (no link, file or coach).
    assert controls("universal_approximation").flags == ()


def test_every_value_a_lab_widget_offers_is_within_the_cli_limits():
    """A setting a widget shows can always travel as a link or a command: no widget outruns the CLI."""
    from lessons import control_ranges as r
    from models.flags import out_of_limits

    offered = {
        "dropout": r.DROPOUT[:2],
        "seed": r.SEED,
        "n-per-corner": r.XOR_CORNER,
        "noise": (*r.XOR_NOISE[:2], *r.RNN_NOISE[:2]),
        "early-stopping": r.PATIENCES,
        "kernel-size": r.MNIST_KERNELS,
        "seq-len": r.RNN_SEQ_LEN,
        "n-sequences": r.RNN_COUNTS,
        "forget-bias": r.RNN_FORGET_BIASES,
        "clip-grad": r.RNN_CLIP_NORMS,
        "hidden": r.MNIST_DENSE[1:],
        "conv-channels": r.MNIST_CHANNELS,
    }
    for entry in LABS:
        if entry.controls is not None:
            spec = entry.controls
            offered = {**offered, "epochs": spec.epochs[:2], "batch-size": spec.batch_sizes}
            for name, values in offered.items():
                for value in values:
                    assert out_of_limits({name: value}) is None, (entry.name, name, value)
            assert out_of_limits({"hidden": list(spec.neurons[:2])}) is None, entry.name


def test_a_lab_is_found_by_its_session_key():
    assert lab_with_key("ua") is lab("universal_approximation")  # its key is not its name
    assert lab_with_key("xor") is lab("xor")
    assert lab_with_key("no_such_lab") is None
