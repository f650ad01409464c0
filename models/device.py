"""Choosing where to train: CPU by default, CUDA or Apple MPS on request."""

from __future__ import annotations

import torch


def resolve_device(requested: str = "cpu") -> tuple[torch.device, str | None]:
    """Return (device, note). Falls back to CPU with a note if the request can't be met."""
    requested = (requested or "cpu").lower()
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu"), None
    if requested == "cuda" and not cuda:
        return torch.device("cpu"), "No CUDA GPU found, so training runs on the CPU."
    if requested == "mps" and not mps:
        return torch.device("cpu"), "Apple MPS is not available here, so training runs on the CPU."
    if requested not in ("cpu", "cuda", "mps"):
        raise ValueError(f"Unknown device {requested!r}. Choose cpu, cuda, mps or auto.")
    return torch.device(requested), None
