"""The drawing pad: one function, `draw_digit_ui(key)`, returns what the student drew.

A small Streamlit components-v2 pad (inline HTML/CSS/JS, no build step). We
tried streamlit-drawable-canvas 0.13 first: it renders and returns pixels
under Streamlit 1.67, but it debounces every send by a fixed 200 ms, which
alone eats most of the 300 ms stroke-to-prediction budget. This pad sends the
drawing the moment the pen lifts. Everything outside this module only sees
`draw_digit_ui`, so the pad can be swapped again without touching a page.

Tests inject a drawing without a browser: put an RGBA (or gray) array in
st.session_state[f"{key}_injected"] and `draw_digit_ui(key)` returns it.
"""

from __future__ import annotations

import base64
import binascii
import io

import numpy as np
import streamlit as st
from PIL import Image, UnidentifiedImageError

from ui.language import t

PAD_SIZE = 280  # 10x MNIST's 28 px: big enough for a finger, small enough for a phone
PEN_WIDTH = 20  # ~1/10 of a digit's height, like MNIST's strokes once scaled to 20 px
MAX_PNG_BYTES = 2_000_000  # a 280x280 RGBA PNG is at most ~300 KB; anything bigger is not ours

_CSS = """
.nnlab-pad { display: inline-block; line-height: 0; }
.nnlab-pad canvas {
  /* No scrolling, zooming or text selection while a finger draws. */
  touch-action: none; -webkit-user-select: none; user-select: none;
  -webkit-touch-callout: none; overscroll-behavior: contain;
  background: #fff; border: 1px solid var(--st-border-color, #d0d0d0);
  border-radius: var(--st-base-radius, 0.5rem); cursor: crosshair;
  max-width: 100%; height: auto;
}
"""

# The function below is called again on every rerun (with new `data`), so the
# pad's state lives in a WeakMap keyed by the mount point, and the drawing
# survives reruns. Strokes are drawn in black on a transparent canvas: the
# alpha channel is the ink, which data.digits reads directly. The pad's only text,
# its accessible name, comes from Python in `data.label` (the session's language).
_JS = """
const pads = new WeakMap();

function createPad(root) {
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  // `pointer`: the one pointer drawing the stroke. A palm or second finger landing
  // mid-stroke is ignored; it used to restart the line at its own point (a zigzag).
  const pad = { canvas, ctx, drawing: false, pointer: null, last: null, strokes: 0, send: () => {}, pen: 20 };
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  const dot = ([x, y]) => {
    ctx.beginPath(); ctx.arc(x, y, pad.pen / 2, 0, 2 * Math.PI); ctx.fill();
  };
  const line = (a, b) => {
    ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
  };
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    if (pad.drawing) return;  // a second finger or a palm while a stroke is going on
    pad.pointer = e.pointerId;
    canvas.setPointerCapture(e.pointerId);
    ctx.lineWidth = pad.pen; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.strokeStyle = ctx.fillStyle = "#000";
    pad.drawing = true; pad.last = point(e); dot(pad.last);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!pad.drawing || e.pointerId !== pad.pointer) return;
    e.preventDefault();
    // Coalesced events keep fast strokes smooth when the browser batches moves.
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of (events.length ? events : [e])) {
      const p = point(ev); line(pad.last, p); pad.last = p;
    }
  });
  const end = (e) => {
    if (!pad.drawing || e.pointerId !== pad.pointer) return;
    pad.drawing = false; pad.pointer = null; pad.strokes += 1;
    canvas.dataset.strokes = String(pad.strokes);
    // Sent at once, not debounced: the prediction should follow the pen.
    pad.send("drawing", { png: canvas.toDataURL("image/png"), strokes: pad.strokes });
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  // Also ends a stroke whose pointerup never came, so the pad can't stay stuck in a stroke.
  canvas.addEventListener("lostpointercapture", end);
  // Belt and braces for browsers that scroll on touchmove despite touch-action.
  canvas.addEventListener("touchmove", (e) => e.preventDefault(), { passive: false });
  root.appendChild(canvas);
  return pad;
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".nnlab-pad");
  if (!root) return;
  let pad = pads.get(parentElement);
  if (!pad) {
    pad = createPad(root);
    pads.set(parentElement, pad);
  } else if (!root.contains(pad.canvas)) {
    root.appendChild(pad.canvas);
  }
  pad.send = setStateValue;
  pad.pen = data.pen;
  if (pad.canvas.width !== data.size) {  // resizing a canvas wipes it: only on first mount
    pad.canvas.width = pad.canvas.height = data.size;
    pad.canvas.style.width = data.size + "px";
  }
  pad.canvas.setAttribute("aria-label", data.label);
  pad.canvas.dataset.testid = "nnlab-digit-pad";
}
"""

_PAD = st.components.v2.component(
    "nnlab_digit_pad",
    html='<div class="nnlab-pad"></div>',
    css=_CSS,
    js=_JS,
    isolate_styles=True,
)


def decode_png_data_url(url: object, max_bytes: int = MAX_PNG_BYTES) -> np.ndarray | None:
    """A "data:image/png;base64,..." URL as an RGBA uint8 array, or None if it isn't one."""
    if not isinstance(url, str) or ";base64," not in url:
        return None
    encoded = url.split(";base64,", 1)[1]
    if len(encoded) > max_bytes * 4 // 3 + 4:
        return None
    try:
        with Image.open(io.BytesIO(base64.b64decode(encoded, validate=True))) as img:
            if img.width * img.height > 4 * PAD_SIZE * PAD_SIZE:
                return None  # refuse decompression bombs; our pad is 280x280
            if min(img.width, img.height) < 2:
                return None  # not our pad either, and data.digits would raise "too small"
            return np.asarray(img.convert("RGBA"))
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError):
        return None


def _clear(key: str) -> None:
    st.session_state[f"{key}_generation"] = st.session_state.get(f"{key}_generation", 0) + 1
    st.session_state.pop(f"{key}_injected", None)


def draw_digit_ui(key: str, size: int = PAD_SIZE, pen_width: int = PEN_WIDTH) -> np.ndarray | None:
    """Draw the pad and its Clear button; return the drawing as an RGBA uint8 array, or None.

    None means nothing was drawn yet (or the pad was just cleared). Mouse, pen
    and touch all draw; a touch on the pad never scrolls the page. Tests set
    st.session_state[f"{key}_injected"] to an array to stand in for a drawing.
    The number of strokes so far is left in st.session_state[f"{key}_strokes"].
    """
    generation = st.session_state.get(f"{key}_generation", 0)
    injected = st.session_state.get(f"{key}_injected")
    if injected is None:
        # A new key after Clear mounts a fresh, empty pad and forgets the old drawing.
        result = _PAD(
            key=f"{key}_pad{generation}",
            data={"size": size, "pen": pen_width, "label": t("mnist.pad.label")},
            default={"drawing": None},
            on_drawing_change=lambda: None,
            width="content",
            height="content",
        )
        drawing = result.get("drawing")
        drawing = drawing if isinstance(drawing, dict) else {}
        image = decode_png_data_url(drawing.get("png"))
        strokes = drawing.get("strokes")
        st.session_state[f"{key}_strokes"] = (
            strokes if isinstance(strokes, int) and image is not None else 0
        )
    else:
        image = np.asarray(injected)
        st.session_state[f"{key}_strokes"] = 1
    st.button(
        t("mnist.pad.clear"),
        key=f"{key}_clear",
        icon=":material/ink_eraser:",
        on_click=_clear,
        args=(key,),
    )
    return image
