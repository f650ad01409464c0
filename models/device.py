"""Choosing where to train: CPU by default, CUDA or Apple MPS on request."""

from __future__ import annotations

import torch

from data.errors import CodedError

# What a fallback to the CPU says, by its code (errors.<code> in ui/locales words it for the UI).
DEVICE_NOTES = {
    "device_no_cuda": "No CUDA GPU found, so training runs on the CPU.",
    "device_no_mps": "Apple MPS is not available here, so training runs on the CPU.",
}


def resolve_device_code(requested: str = "cpu") -> tuple[torch.device, str | None]:
    """Return (device, code): code is a DEVICE_NOTES key when the request fell back to the CPU."""
    requested = (requested or "cpu").lower()
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu"), None
    if requested == "cuda" and not cuda:
        return torch.device("cpu"), "device_no_cuda"
    if requested == "mps" and not mps:
        return torch.device("cpu"), "device_no_mps"
    if requested not in ("cpu", "cuda", "mps"):
        raise CodedError(
            "unknown_device",
            f"Unknown device {requested!r}. Choose cpu, cuda, mps or auto.",
            device=requested,
        )
    return torch.device(requested), None


def resolve_device(requested: str = "cpu") -> tuple[torch.device, str | None]:
    """Return (device, note). Falls back to CPU with a note if the request can't be met."""
    device, code = resolve_device_code(requested)
    return device, DEVICE_NOTES.get(code) if code else None
