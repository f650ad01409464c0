"""Training augmentation for digit images: random stroke thickness, scale, rotation and shift.

A digit drawn on the pad reaches the model through data.digits.canvas_to_mnist,
which crops it to its ink, scales the longer side to 20 px and centres it. What
survives that normalisation is mostly the *pen*: a marker on a small digit
becomes strokes three times MNIST's width, a thin pen on a large one becomes
hairlines (bench/robustness.py: thick strokes were the weakest condition). So
each training image gets, independently:

- a stroke thickness: thinner (a 3x3 min-pool blended halfway), as is, or
  thicker by one or two 3x3 max-pools, then shrunk so the ink box stays about
  20 px, as the preprocessing would do with a thick drawing;
- a scale (0.9-1.1x), a rotation (up to 12 degrees either way) and a shift
  (up to 1.5 px), in one F.grid_sample call on an affine grid.

About half the images keep their own stroke, and every transform is mild, so
the clean digits stay well represented: the shipped models read MNIST's own
digits as well as before (models/pretrained/README.md).

It runs on torch batches as they are loaded for training (models/trainer.py
applies it to each block of ~20 shuffled batches at once, one call instead
of one per step), so every epoch sees fresh variants and nothing is stored. All randomness comes from one torch.Generator
seeded from the run's seed, so a run stays reproducible per seed.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from data.errors import CodedError

# Probabilities of the four stroke conditions: thinner, as drawn, +1 and +2 max-pools.
STROKE_PROBS = (0.15, 0.45, 0.25, 0.15)
# The ink box the preprocessing makes (data/digits.py BOX); a k-pixel dilation
# grows it by 2k, so a thickened digit is shrunk by BOX / (BOX + 2k).
_BOX = 20.0
SCALE = (0.9, 1.1)
ROTATION_DEGREES = 12.0
SHIFT_PIXELS = 1.5
# Offsets the augmentation's generator from the shuffling generator of the same seed,
# so the two random streams are not the same numbers.
_SEED_SALT = 0x5EED_A06


def check_augmentable(input_shape: tuple[int, ...]) -> None:
    """Raise CodedError("augment_needs_images") unless `input_shape` is (height, width).

    Shifting, rotating and thickening strokes only mean something for images,
    so a run on a table (XOR, Iris, Boston) with augmentation on is refused
    rather than silently trained without it.
    """
    if len(input_shape) != 2:
        raise CodedError(
            "augment_needs_images",
            "Augmentation shifts, scales, rotates and thickens images; "
            f"this data has shape {tuple(input_shape)}, not (height, width).",
            shape=tuple(input_shape),
        )


def _coords(size: int) -> torch.Tensor:
    """Pixel centres from -1 to 1, as F.affine_grid places them with align_corners=False."""
    return (torch.arange(size, dtype=torch.float32) * 2.0 + 1.0) / size - 1.0


def _dilate(x: torch.Tensor) -> torch.Tensor:
    """3x3 grey dilation of (N, H, W) images: F.max_pool2d(x, 3, 1, 1), as separable maxima.

    Four torch.maximum calls are about ten times faster on CPU than max_pool2d
    with stride 1 on one-channel 28x28 images.
    """
    p = F.pad(x, (1, 1, 1, 1))
    rows = torch.maximum(p[:, :, :-2], p[:, :, 1:-1])
    torch.maximum(rows, p[:, :, 2:], out=rows)
    out = torch.maximum(rows[:, :-2], rows[:, 1:-1])
    return torch.maximum(out, rows[:, 2:], out=out)


def sampling_grid(theta: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """F.affine_grid(theta, (N, 1, H, W), align_corners=False), computed faster.

    Each output pixel samples the input at theta @ (x, y, 1), in coordinates
    from -1 to 1 across the image. Built from (N, 1, W) and (N, H, 1) pieces,
    it is two full-size additions, where affine_grid's batched product of
    3x2 matrices cost several times more on CPU (bench/augment_speed.py).
    """
    n = len(theta)
    xs = _coords(width).view(1, 1, width)
    ys = _coords(height).view(1, height, 1)
    t = theta.to(torch.float32).view(n, 6, 1, 1).unbind(1)
    grid = torch.empty(n, height, width, 2)
    torch.add(t[0] * xs, t[1] * ys + t[2], out=grid[..., 0])
    torch.add(t[3] * xs, t[4] * ys + t[5], out=grid[..., 1])
    return grid


class DigitAugmenter:
    """Random per-image stroke thickness and affine transform for (N, H, W) float batches.

    `augmenter(batch)` returns a new tensor of the same shape, values in [0, 1];
    the input is not changed. Successive calls draw fresh parameters from the
    augmenter's own generator, seeded by `seed`. Raises CodedError
    ("augment_needs_images") when `input_shape` is not (height, width).
    """

    def __init__(self, seed: int, input_shape: tuple[int, ...] = (28, 28)) -> None:
        check_augmentable(input_shape)
        self.generator = torch.Generator().manual_seed(int(seed) + _SEED_SALT)

    def _uniform(self, n: int, low: float, high: float) -> torch.Tensor:
        return torch.rand(n, generator=self.generator) * (high - low) + low

    def _strokes(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Each image thinner, as is or thicker; returns the images and each one's growth in px."""
        choice = torch.multinomial(
            torch.tensor(STROKE_PROBS), len(x), replacement=True, generator=self.generator
        )
        out = x.clone()
        # Only the images that change are computed: a block's worth of full-size
        # ops costs as much as the training steps it feeds (bench/augment_speed.py).
        thin = torch.nonzero(choice == 0).squeeze(1)
        if len(thin):
            sub = x.index_select(0, thin)
            out.index_copy_(0, thin, _dilate(sub.neg()).neg_().add_(sub).mul_(0.5))
        thick = torch.nonzero(choice >= 2).squeeze(1)
        if len(thick):
            sub = _dilate(x.index_select(0, thick))
            twice = torch.nonzero(choice.index_select(0, thick) == 3).squeeze(1)
            if len(twice):
                sub.index_copy_(0, twice, _dilate(sub.index_select(0, twice)))
            out.index_copy_(0, thick, sub)
        return out, (choice - 1).clamp(min=0).to(torch.float32)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """A randomly thickened/thinned, scaled, rotated and shifted copy of `x` (N, H, W)."""
        n, height, width = x.shape
        if n == 0:
            return x.clone()
        img, growth = self._strokes(x.to(torch.float32))
        # Zoom > 1 shows the digit larger; a thickened digit is shrunk back to a ~20 px box.
        zoom = self._uniform(n, *SCALE) * _BOX / (_BOX + 2.0 * growth)
        angle = self._uniform(n, -ROTATION_DEGREES, ROTATION_DEGREES) * (math.pi / 180.0)
        shift = self._uniform(2 * n, -SHIFT_PIXELS, SHIFT_PIXELS).view(n, 2)
        cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
        # Shifts in pixels become grid units: a pixel is 2 / size.
        theta = torch.stack(
            [cos, -sin, shift[:, 0] * (2.0 / width), sin, cos, shift[:, 1] * (2.0 / height)], 1
        ).view(n, 2, 3)
        grid = sampling_grid(theta, height, width)
        out = F.grid_sample(
            img.unsqueeze(1), grid, mode="bilinear", padding_mode="zeros", align_corners=False
        )
        return out.view(n, height, width).clamp_(0.0, 1.0)
