"""models.threads: tiny training steps run on one CPU thread, big ones keep torch's setting."""

from __future__ import annotations

import threading

import pytest
import torch

import data
import models
from models import ModelConfig, TrainConfig, TrainingRun
from models.threads import SMALL_STEP_FLOPS, intra_op_threads, step_flops, threads_for_step


def test_step_flops_agree_with_torchs_flop_counter():
    from torch.utils.flop_counter import FlopCounterMode

    cfg = ModelConfig(
        input_shape=(28, 28),
        n_outputs=10,
        task="multiclass",
        kind="cnn",
        hidden=[32],
        conv_channels=[8, 16],
        kernel_size=5,
    )
    model = models.build_model(cfg).eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, 28, 28))
    assert step_flops(model, (28, 28), batch_size=7) == 3 * 7 * counter.get_total_flops()


def test_step_flops_of_an_mlp_are_three_forward_passes_of_its_matmuls():
    model = models.build_model(
        ModelConfig(input_shape=(28, 28), n_outputs=10, task="multiclass", hidden=[128])
    )
    forward_per_example = 2 * (784 * 128 + 128 * 10)
    assert step_flops(model, (28, 28), batch_size=128) == 3 * 128 * forward_per_example


def test_step_flops_count_every_position_of_a_convolution():
    cfg = ModelConfig(
        input_shape=(28, 28),
        n_outputs=10,
        task="multiclass",
        kind="cnn",
        hidden=[16],
        conv_channels=[4],
    )
    model = models.build_model(cfg)
    conv = 2 * 28 * 28 * 4 * 1 * 3 * 3  # 'same' 3x3 convolution, 1 -> 4 channels
    dense = 2 * (4 * 14 * 14 * 16 + 16 * 10)  # after one 2x2 pooling
    assert step_flops(model, (28, 28), batch_size=1) == 3 * (conv + dense)


def test_counting_flops_draws_no_random_numbers_and_keeps_the_mode():
    model = models.build_model(
        ModelConfig(
            input_shape=(4,),
            n_outputs=3,
            task="multiclass",
            hidden=[8],
            dropout=0.5,
            batchnorm=True,
        )
    ).train()
    (batchnorm,) = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm1d)]
    batchnorm.running_mean.fill_(0.5)  # a non-trivial statistic that a train-mode pass would move
    state = torch.get_rng_state()
    step_flops(model, (4,), batch_size=16)
    assert torch.equal(torch.get_rng_state(), state)
    assert model.training
    assert torch.equal(batchnorm.running_mean, torch.full_like(batchnorm.running_mean, 0.5))


def test_small_steps_get_one_thread_and_big_ones_torch_default():
    assert threads_for_step(SMALL_STEP_FLOPS - 1) == 1
    assert threads_for_step(SMALL_STEP_FLOPS) is None


@pytest.mark.parametrize(
    "name,hidden,batch,expected",
    [
        ("boston", [64, 64], 32, 1),  # the Boston lab's default: ~1 MFLOP a step
        ("mnist", [128], 128, None),  # the fast MLP: ~78 MFLOP a step
    ],
)
def test_runs_choose_their_threads_from_their_step(name, hidden, batch, expected):
    ds = data.load(name, **({"n_train": 300, "n_valid": 100} if name == "mnist" else {}))
    run = TrainingRun(
        ds,
        ModelConfig(
            input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=hidden
        ),
        TrainConfig(batch_size=batch, epochs=1),
    )
    assert run.threads == expected


def test_one_thread_applies_during_the_slice_and_the_setting_comes_back():
    suite = torch.get_num_threads()
    torch.set_num_threads(2)  # as on a 2-core server (the suite itself trains on one thread)
    try:
        seen = []

        class Probe(models.Callback):
            def on_epoch_end(self, run, row):
                seen.append(torch.get_num_threads())

        ds = data.load("xor")
        run = TrainingRun(
            ds,
            ModelConfig(
                input_shape=ds.input_shape, n_outputs=ds.n_outputs, task=ds.task, hidden=[3]
            ),
            TrainConfig(batch_size=4, epochs=3),
            callbacks=[Probe()],
        )
        run.advance()
        assert seen == [1, 1, 1]
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(suite)


def test_the_thread_setting_is_restored_in_other_threads_too():
    results = []

    def work():
        before = torch.get_num_threads()
        with intra_op_threads(1):
            results.append(torch.get_num_threads())
        results.append(torch.get_num_threads() == before)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert results == [1, True]
    with intra_op_threads(None):  # None leaves the setting alone
        assert torch.get_num_threads() >= 1
