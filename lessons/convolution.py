"""Convolution and max pooling by hand, keeping every window's products.

"Convolution" here is what CNN layers (and torch.nn.functional.conv2d) compute:
slide the filter over the image without flipping it and take the sum of
element-wise products, exactly as the slides' worked example does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from data.errors import CodedError

# The slides' worked example (003, "Convolutional Layer").
SLIDE_IMAGE = np.array(
    [
        [2, 5, 5, 2, 5, 2, 0, 1],
        [2, 3, 4, 0, 4, 2, 1, 5],
        [4, 3, 1, 3, 5, 5, 4, 3],
        [5, 3, 4, 5, 0, 2, 1, 5],
        [2, 3, 1, 1, 1, 0, 1, 3],
        [4, 4, 1, 1, 5, 1, 1, 4],
        [2, 3, 2, 2, 0, 4, 2, 4],
        [0, 5, 4, 5, 3, 4, 1, 4],
    ],
    dtype=float,
)
SLIDE_FILTER = np.array([[1, 0, 1], [2, 1, 3], [1, 1, 2]], dtype=float)

# Filters every image-processing course starts with. The blur kernels sum to 1
# so brightness is kept; edge kernels sum to 0 so flat areas go to 0.
CLASSIC_KERNELS: dict[str, np.ndarray] = {
    "Identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float),
    "Edge (outline)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]], dtype=float),
    "Horizontal edge (Sobel)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),
    "Vertical edge (Sobel)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),
    "Box blur 3×3": np.full((3, 3), 1 / 9),
    "Gaussian blur 5×5": np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0,
    "Sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
}

# Largest cell value the editors accept. A 5×5 window of such cells times such
# weights sums to at most 2.5e13, still a whole number that float64 holds
# exactly, so the tables never show overflowed or rounded-off sums.
MAX_CELL = 1e6
# What to_grid's messages call the table; each has its own error codes ("image_empty", ...).
GRID_NAMES = ("image", "filter", "grid")


@dataclass(frozen=True)
class ConvResult:
    """A convolution with everything needed to replay it window by window."""

    output: np.ndarray
    """Feature map, shape (out_h, out_w)."""
    products: np.ndarray
    """products[i, j] = window * kernel for output cell (i, j); shape (out_h, out_w, kh, kw)."""
    padded: np.ndarray
    """The input after zero padding: the windows are taken from this."""
    stride: int
    padding: int

    def window_origin(self, i: int, j: int) -> tuple[int, int]:
        """Top-left corner, in padded coordinates, of the window that made output (i, j)."""
        return i * self.stride, j * self.stride

    def window(self, i: int, j: int) -> np.ndarray:
        """The padded-image patch under the filter for output cell (i, j)."""
        kh, kw = self.products.shape[2:]
        r, c = self.window_origin(i, j)
        return self.padded[r : r + kh, c : c + kw]


def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Output length along one axis: floor((n + 2p - k) / s) + 1.

    Raises ValueError, in words a student can act on, when the filter does not
    fit or the stride is not a positive whole number.
    """
    if stride < 1:
        raise CodedError(
            "stride_too_small", f"The stride must be at least 1, got {stride}.", stride=stride
        )
    if padding < 0:
        raise CodedError(
            "padding_negative", f"The padding cannot be negative, got {padding}.", padding=padding
        )
    if k < 1:
        raise CodedError("filter_size_zero", "The filter needs at least one row and one column.")
    if k > n + 2 * padding:
        raise CodedError(
            "filter_too_big_axis",
            f"The filter ({k} cells) is bigger than the padded image ({n} + 2×{padding} = "
            f"{n + 2 * padding} cells), so it fits nowhere. Use a smaller filter or more padding.",
            size=k,
            n=n,
            padding=padding,
            padded=n + 2 * padding,
        )
    return (n + 2 * padding - k) // stride + 1


def pad(image: np.ndarray, padding: int) -> np.ndarray:
    """Surround `image` with `padding` rows/columns of zeros (what conv2d's padding does)."""
    return np.pad(np.asarray(image, dtype=float), padding, mode="constant")


def conv2d(image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0) -> ConvResult:
    """Slide `kernel` over `image` and keep, for every output cell, the products that sum to it."""
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    if image.ndim != 2 or kernel.ndim != 2:
        raise CodedError(
            "conv_not_2d", "The image and the filter must both be 2-D grids of numbers."
        )
    kh, kw = kernel.shape
    ph, pw = image.shape[0] + 2 * padding, image.shape[1] + 2 * padding
    if kh > ph or kw > pw:
        raise CodedError(
            "filter_too_big",
            f"The {kh}×{kw} filter is bigger than the {ph}×{pw} padded image, so it fits "
            "nowhere. Use a smaller filter, a bigger image or more padding.",
            kh=kh,
            kw=kw,
            ph=ph,
            pw=pw,
        )
    out_h = output_size(image.shape[0], kh, stride, padding)
    out_w = output_size(image.shape[1], kw, stride, padding)
    padded = pad(image, padding)
    products = np.empty((out_h, out_w, kh, kw))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            products[i, j] = padded[r : r + kh, c : c + kw] * kernel
    return ConvResult(products.sum(axis=(2, 3)), products, padded, stride, padding)


def maxpool2d(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Max pooling with a size×size window (stride defaults to size, as in the slides).

    Like torch's max_pool2d, rows/columns that do not fill a whole window are dropped.
    """
    return _pool(x, size, stride)[0]


def maxpool_winners(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Boolean mask of the cells of `x` that win their pooling window (the slides' red numbers).

    When a window holds the maximum twice, the first one in reading order wins.
    """
    return _pool(x, size, stride)[1]


def _pool(x: np.ndarray, size: int, stride: int | None) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    stride = size if stride is None else stride
    if size < 1:
        raise CodedError(
            "pool_too_small", f"The pooling window must be at least 1×1, got {size}.", size=size
        )
    if size > min(x.shape):
        height, width = x.shape
        raise CodedError(
            "pool_too_big",
            f"The {size}×{size} pooling window is bigger than the {height}×{width} "
            "feature map. Use a smaller pooling window.",
            size=size,
            height=height,
            width=width,
        )
    out_h = output_size(x.shape[0], size, stride)
    out_w = output_size(x.shape[1], size, stride)
    out = np.empty((out_h, out_w))
    winners = np.zeros(x.shape, dtype=bool)
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            block = x[r : r + size, c : c + size]
            k = int(np.argmax(block))
            out[i, j] = block.flat[k]
            winners[r + k // size, c + k % size] = True
    return out, winners


def to_grid(values, what: str = "grid") -> np.ndarray:
    """Turn edited table cells into a float array, or explain which cell is not a usable number.

    A usable number is finite and at most MAX_CELL in size. `values` is any 2-D nested sequence (e.g. DataFrame.to_numpy()); `what`
    names it in the message ("image", "filter") and in the error's code ("image_empty", ...;
    a name outside GRID_NAMES gets the "grid_..." codes).
    """
    rows = [list(r) for r in values]
    if not rows or not rows[0]:
        raise CodedError(
            f"{_code_name(what)}_empty",
            f"The {what} is empty. It needs at least one row and one column.",
        )
    grid = np.empty((len(rows), len(rows[0])))
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            grid[i, j] = _cell_number(cell, what, i, j)
    return grid


def _code_name(what: str) -> str:
    return what if what in GRID_NAMES else "grid"


def _cell_number(cell, what: str, i: int, j: int) -> float:
    where = f"row {i + 1}, column {j + 1} of the {what}"
    code, at = _code_name(what), {"row": i + 1, "column": j + 1}
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        cell = float("nan")  # an emptied cell: reported as empty below
    try:
        value = float(cell)
    except (TypeError, ValueError):
        raise CodedError(
            f"{code}_cell_not_number",
            f"The cell at {where} holds {cell!r}, which is not a number.",
            **at,
            value=str(cell),
        ) from None
    if not np.isfinite(value):
        raise CodedError(
            f"{code}_cell_not_finite",
            f"The cell at {where} is empty or not a finite number. Type a number there.",
            **at,
        )
    if abs(value) > MAX_CELL:
        raise CodedError(
            f"{code}_cell_too_large",
            f"The cell at {where} is too large for this lab (more than {MAX_CELL:,.0f} in size). "
            f"Keep every number between -{MAX_CELL:,.0f} and {MAX_CELL:,.0f}.",
            **at,
            limit=MAX_CELL,
        )
    return value
