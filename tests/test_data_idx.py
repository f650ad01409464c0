"""MNIST IDX parsing: format checks raise DataFormatError."""

from __future__ import annotations

import numpy as np
import pytest

from data import DataFormatError
from data.mnist import IMAGE_MAGIC, LABEL_MAGIC, parse_idx


def _header(*ints: int) -> bytes:
    return b"".join(i.to_bytes(4, "big") for i in ints)


def test_parse_valid_images_and_labels():
    images = parse_idx(_header(2051, 2, 28, 28) + bytes(range(256)) * 6 + bytes(32), IMAGE_MAGIC)
    assert images.shape == (2, 28, 28) and images.dtype == np.uint8
    assert not images.flags.writeable
    labels = parse_idx(_header(2049, 3) + bytes([7, 0, 9]), LABEL_MAGIC)
    assert labels.tolist() == [7, 0, 9]


def test_wrong_magic_number():
    with pytest.raises(DataFormatError, match="magic number is 2049, expected 2051"):
        parse_idx(_header(2049, 1, 28, 28) + bytes(784), IMAGE_MAGIC)


def test_count_mismatch():
    with pytest.raises(DataFormatError, match="header promises 3 items"):
        parse_idx(_header(2049, 3) + bytes(2), LABEL_MAGIC)


def test_wrong_dims_and_truncated():
    with pytest.raises(DataFormatError, match="32x32, expected 28x28"):
        parse_idx(_header(2051, 1, 32, 32) + bytes(1024), IMAGE_MAGIC)
    with pytest.raises(DataFormatError, match="too short"):
        parse_idx(b"\x00\x00", LABEL_MAGIC)
