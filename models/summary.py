"""A Keras-style model summary: layer, output shape, parameter count, totals.

The slides show Keras' `model.summary()` for Flatten -> Dense(128) -> Dense(10):
100,480 + 1,290 = 101,770 parameters. torchinfo runs one forward pass to learn
each layer's output shape; we reshape its answer into those rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torchinfo


@dataclass
class SummaryRow:
    """One layer of the summary."""

    layer: str
    output_shape: str
    params: int


@dataclass
class ModelSummary:
    """Rows plus totals; `rows_as_dicts()` feeds a table widget directly."""

    rows: list[SummaryRow]
    total_params: int
    trainable_params: int

    def rows_as_dicts(self) -> list[dict]:
        """[{'Layer (type)', 'Output shape', 'Param #'}] like Keras' printout."""
        return [
            {"Layer (type)": r.layer, "Output shape": r.output_shape, "Param #": r.params}
            for r in self.rows
        ]

    def to_text(self) -> str:
        """The summary as fixed-width text, as Keras prints it."""
        lines = [f"{'Layer (type)':<28}{'Output shape':<22}{'Param #':>10}", "=" * 60]
        lines += [f"{r.layer:<28}{r.output_shape:<22}{r.params:>10,}" for r in self.rows]
        lines += [
            "=" * 60,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
        ]
        return "\n".join(lines)


def model_summary(
    model: torch.nn.Module, input_shape: tuple[int, ...] | None = None
) -> ModelSummary:
    """Summarize `model` (a models.Network, or any module given `input_shape`)."""
    shape = tuple(input_shape or model.config.input_shape)
    device = next(model.parameters()).device
    # Batch of 2, not 1: BatchNorm cannot run on a single example.
    # mode="eval" leaves BatchNorm's running statistics untouched.
    stats = torchinfo.summary(
        model, input_size=(2, *shape), device=device, mode="eval", verbose=0, depth=1
    )
    counter: dict[str, int] = {}
    rows = []
    for info in stats.summary_list:
        if info.depth != 1:
            continue
        name = info.class_name
        counter[name] = counter.get(name, 0) + 1
        out = info.output_size
        # Keras writes the batch axis as None: the model accepts any batch size.
        out_str = "(None, " + ", ".join(str(d) for d in out[1:]) + ")" if out else "-"
        rows.append(
            SummaryRow(f"{name.lower()}_{counter[name]} ({name})", out_str, int(info.num_params))
        )
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return ModelSummary(rows, total, trainable)
