"""Model files for tests: an NN Lab file whose description (its JSON) is changed, as by hand."""

from __future__ import annotations

import io
import json

import torch


def edited_description(blob: bytes, edit) -> bytes:
    """`blob` (an NN Lab .pth) with `edit(meta)` applied to its description, the weights kept."""
    payload = torch.load(io.BytesIO(blob), weights_only=True)
    meta = json.loads(payload["meta"])
    edit(meta)
    payload["meta"] = json.dumps(meta)
    buf = io.BytesIO()
    torch.save(payload, buf)
    return buf.getvalue()
