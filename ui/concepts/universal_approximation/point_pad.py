"""The point pad: one function, `point_pad_ui(...)`, lets the student click points onto an x/y plane.

A small Streamlit components-v2 widget (inline HTML/CSS/JS, no build step),
built like the digit pad in ui/mnist/canvas.py. A click (or tap) on an empty spot
adds a point; a click on a point removes it; "Clear points" empties the pad.

The pad does not own the points: the caller passes them in on every run and
the pad draws them, so another editor (the lab's table) can change them too.
After a click the browser sends the pad's whole new list, not "add here": if
two clicks land before Streamlit reruns, only the last message arrives (a
newer trigger replaces an older one), and a whole list loses nothing.

Tests inject points without a browser: put an (n, 2) array-like in
st.session_state[f"{key}_injected"]; the next run of `point_pad_ui(key, ...)`
takes it (once) exactly as if the browser had sent it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from ui.i18n import ENGLISH, Translator
from ui.language import translator

PAD_WIDTH = 440  # CSS px: fits beside the table on a laptop, and a phone's width
PAD_HEIGHT = 300
# Room around the plot area for the tick labels, in CSS px (left, top, right, bottom).
PAD_MARGINS = (48, 10, 14, 34)
HIT_RADIUS = 9  # px: a click this close to a point removes it (a fingertip is ~10 px off)
MAX_POINTS = 200  # far more than anyone clicks; a bigger message is not from our pad


class PadError(ValueError):
    """Something the pad can't take: `code` names its sentence (ua.pad.<code>), `params` its numbers.

    str() is the English sentence; the page words it in its own language with `pad_error_text`.
    """

    def __init__(self, code: str, **params) -> None:
        self.code = code
        self.params = params
        super().__init__(ENGLISH(f"ua.pad.{code}", **params))


def pad_error_text(exc: ValueError, tr: Translator = ENGLISH) -> str:
    """The sentence for a PadError in `tr`'s language (any other error keeps its own words)."""
    if isinstance(exc, PadError):
        return tr(f"ua.pad.{exc.code}", **exc.params)
    return str(exc)


_CSS = """
.nnlab-point-pad { display: inline-block; line-height: 0; }
.nnlab-point-pad canvas {
  /* A tap places a point: no scrolling, zooming or text selection on the pad. */
  touch-action: none; -webkit-user-select: none; user-select: none;
  -webkit-touch-callout: none; overscroll-behavior: contain;
  border: 1px solid var(--st-border-color, #d0d0d0);
  border-radius: var(--st-base-radius, 0.5rem); cursor: crosshair;
  max-width: 100%; height: auto;
}
"""

# `seq` counts the pad's clicks. Python echoes back the last seq it received;
# while a click is still on its way (the pad's seq is ahead) the pad keeps its
# own points, otherwise the points Python sends are the truth (the table may
# have changed them). The pad's state lives in a WeakMap keyed by the mount
# point, so it survives reruns, like the digit pad's drawing.
_JS = """
const pads = new WeakMap();

function niceStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

function ticks(lo, hi, count) {
  const step = niceStep(hi - lo, count);
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : +t.toPrecision(12));
  }
  return out;
}

// Decimals that resolve one pixel: finer would only be noise from the hand.
function decimals(span, pixels) {
  return Math.max(0, Math.ceil(-Math.log10(span / pixels)));
}

function geometry(v) {
  const [l, t, r, b] = v.margins;
  const box = { l, t, r: v.width - r, b: v.height - b };
  const [x0, x1] = v.x_range, [y0, y1] = v.y_range;
  return {
    box,
    toPx: ([x, y]) => [box.l + (x - x0) / (x1 - x0) * (box.r - box.l),
                       box.b - (y - y0) / (y1 - y0) * (box.b - box.t)],
    toData: (px, py) => {
      const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
      const x = clamp(x0 + (px - box.l) / (box.r - box.l) * (x1 - x0), x0, x1);
      const y = clamp(y0 + (box.b - py) / (box.b - box.t) * (y1 - y0), y0, y1);
      return [+x.toFixed(decimals(x1 - x0, box.r - box.l)), +y.toFixed(decimals(y1 - y0, box.b - box.t))];
    },
  };
}

function draw(pad) {
  const { ctx, view: v } = pad;
  const { box, toPx } = geometry(v);
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, v.width, v.height);
  ctx.font = "11px sans-serif";
  ctx.lineWidth = 1;
  const [x0, x1] = v.x_range, [y0, y1] = v.y_range;
  const grid = (from, to, color) => {
    ctx.strokeStyle = color; ctx.beginPath();
    ctx.moveTo(Math.round(from[0]) + 0.5, Math.round(from[1]) + 0.5);
    ctx.lineTo(Math.round(to[0]) + 0.5, Math.round(to[1]) + 0.5); ctx.stroke();
  };
  ctx.fillStyle = "#555";
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const t of ticks(x0, x1, 8)) {
    const [px] = toPx([t, y0]);
    grid([px, box.t], [px, box.b], t === 0 ? "#888" : "#e6e6e6");
    ctx.fillText(String(t), px, box.b + 4);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const t of ticks(y0, y1, 6)) {
    const [, py] = toPx([x0, t]);
    grid([box.l, py], [box.r, py], t === 0 ? "#888" : "#e6e6e6");
    ctx.fillText(String(t), box.l - 5, py);
  }
  ctx.strokeStyle = "#bbb";
  ctx.strokeRect(box.l + 0.5, box.t + 0.5, box.r - box.l, box.b - box.t);
  ctx.font = "italic 13px serif"; ctx.fillStyle = "#333";
  ctx.textAlign = "right"; ctx.textBaseline = "bottom";
  ctx.fillText("x", box.r, v.height - 2);
  ctx.textAlign = "left"; ctx.textBaseline = "top";
  ctx.fillText("y", 4, box.t);
  ctx.fillStyle = v.color;
  for (const p of pad.points) {
    const [px, py] = toPx(p);
    ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.fill();
  }
  pad.canvas.dataset.points = JSON.stringify(pad.points);
  pad.canvas.dataset.seq = String(pad.seq);
}

function createPad(root, seq) {
  const canvas = document.createElement("canvas");
  const pad = { canvas, ctx: canvas.getContext("2d"), points: [], seq, view: null, send: () => {} };
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || !e.isPrimary || !pad.view) return;  // one finger places; a palm does not
    e.preventDefault();
    // Inside the border, and in the pad's own px even when CSS shrinks it on a narrow screen.
    const r = canvas.getBoundingClientRect();
    const px = (e.clientX - r.left - canvas.clientLeft) * pad.view.width / canvas.clientWidth;
    const py = (e.clientY - r.top - canvas.clientTop) * pad.view.height / canvas.clientHeight;
    const { box, toPx, toData } = geometry(pad.view);
    const slack = pad.view.hit;  // a point on the border is still easy to hit
    if (px < box.l - slack || px > box.r + slack || py < box.t - slack || py > box.b + slack) return;
    let nearest = -1, distance = pad.view.hit;
    pad.points.forEach((p, i) => {
      const [qx, qy] = toPx(p);
      const d = Math.hypot(qx - px, qy - py);
      if (d <= distance) { nearest = i; distance = d; }
    });
    if (nearest >= 0) pad.points.splice(nearest, 1);
    else if (px >= box.l && px <= box.r && py >= box.t && py <= box.b) pad.points.push(toData(px, py));
    else return;  // in the margin, near no point
    pad.seq += 1;
    draw(pad);
    pad.send("points", { points: pad.points.map((p) => [p[0], p[1]]), seq: pad.seq });  // a copy: the next click edits ours
  });
  // Belt and braces for browsers that scroll on touchmove despite touch-action.
  canvas.addEventListener("touchmove", (e) => e.preventDefault(), { passive: false });
  root.appendChild(canvas);
  return pad;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".nnlab-point-pad");
  if (!root) return;
  let pad = pads.get(parentElement);
  if (!pad) {
    pad = createPad(root, data.seq);
    pads.set(parentElement, pad);
  } else if (!root.contains(pad.canvas)) {
    root.appendChild(pad.canvas);
  }
  pad.send = setTriggerValue;
  pad.view = data;
  if (data.seq >= pad.seq) {
    pad.points = data.points.map((p) => [p[0], p[1]]);
    pad.seq = data.seq;
  }
  const dpr = window.devicePixelRatio || 1;
  if (pad.canvas.width !== Math.round(data.width * dpr)) {
    pad.canvas.width = Math.round(data.width * dpr);
    pad.canvas.height = Math.round(data.height * dpr);
    pad.canvas.style.width = data.width + "px";
  }
  pad.canvas.setAttribute("aria-label", data.label);
  pad.canvas.dataset.testid = "nnlab-point-pad";
  draw(pad);
}
"""

_PAD = st.components.v2.component(
    "nnlab_point_pad",
    html='<div class="nnlab-point-pad"></div>',
    css=_CSS,
    js=_JS,
    isolate_styles=True,
)


def parse_points(value: object, x_range: Sequence[float], y_range: Sequence[float]) -> np.ndarray:
    """Points a client sent, as an (n, 2) float array; raise ValueError with a sentence if they aren't.

    Accepts a list of [x, y] pairs (n may be 0) of finite numbers inside the
    pad's plane. Booleans and strings are refused even where numpy would
    convert them: our pad only ever sends numbers.
    """
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        raise PadError("not_list")
    if len(value) > MAX_POINTS:
        raise PadError("too_many", max_points=MAX_POINTS)
    try:
        pts = np.asarray(value, dtype=object)
    except ValueError:  # nesting too ragged for numpy to hold even as objects
        pts = np.empty(0, dtype=object).reshape(0, 0, 0)
    if not (pts.ndim == 2 and pts.shape[1] == 2 or pts.shape == (0,)):
        raise PadError("not_pair")
    numbers = (int, float, np.integer, np.floating)
    if not all(isinstance(v, numbers) and not isinstance(v, (bool, np.bool_)) for v in pts.ravel()):
        raise PadError("not_number")
    try:
        pts = pts.astype(float).reshape(-1, 2)
    except OverflowError:  # an integer too big for a float: JSON allows those
        pts = np.full((1, 2), np.inf)
    if not np.isfinite(pts).all():
        raise PadError("not_finite")
    (x0, x1), (y0, y1) = x_range, y_range
    if len(pts) and (
        pts[:, 0].min() < x0 or pts[:, 0].max() > x1 or pts[:, 1].min() < y0 or pts[:, 1].max() > y1
    ):
        raise PadError("outside", x0=x0, x1=x1, y0=y0, y1=y1)
    return pts


def read_message(message: object) -> tuple[object, int]:
    """Split the pad's message {"points": [...], "seq": n} into (points, seq); ValueError if it isn't one."""
    seq = message.get("seq") if isinstance(message, dict) else None
    if not (isinstance(seq, int) and not isinstance(seq, bool) and 0 <= seq < 2**53):
        raise PadError("no_seq")
    return message.get("points"), seq


def _finite_rows(points: object) -> np.ndarray:
    # The table may hold a row still being typed (an empty cell): the pad can't draw it.
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    return pts[np.isfinite(pts).all(axis=1)]


def _clear(key: str) -> None:
    st.session_state[f"{key}_cleared"] = True


def point_pad_ui(
    key: str,
    x_range: Sequence[float],
    y_range: Sequence[float],
    points,
    tr: Translator | None = None,
) -> np.ndarray:
    """Draw the pad showing `points` (n x 2, data units) and its "Clear points" button; return the points.

    Returns a new (m, 2) float array when the student changed the pad in this
    run (a click, Clear, or an injected test value), and `points` as a float
    array otherwise, so the caller can store the result as its one copy of the
    points. Rows of `points` with an empty (NaN) cell are not drawn. Anything
    malformed the browser sends is shown as a warning sentence and ignored. Its texts
    (the button, the hint, the warnings) are in `tr`'s language (the session's by default).
    """
    tr = tr or translator()
    current = np.asarray(points, dtype=float).reshape(-1, 2)
    # Clear and an injected value are known before the pad is drawn, so it can draw
    # their outcome at once; a click is only read after (the browser shows it already).
    outcome, problem = None, None
    if st.session_state.pop(f"{key}_cleared", False):
        outcome = np.empty((0, 2))
    injected = st.session_state.pop(f"{key}_injected", None)
    if injected is not None:
        try:
            outcome = parse_points(injected, x_range, y_range)
        except ValueError as exc:
            problem = pad_error_text(exc, tr)
    shown = current if outcome is None else outcome
    result = _PAD(
        key=f"{key}_pad",
        data={
            "points": _finite_rows(shown).tolist(),
            "seq": st.session_state.get(f"{key}_seq", 0),
            "x_range": [float(v) for v in x_range],
            "y_range": [float(v) for v in y_range],
            "width": PAD_WIDTH,
            "height": PAD_HEIGHT,
            "margins": list(PAD_MARGINS),
            "hit": HIT_RADIUS,
            "color": "#0072B2",
            "label": tr("ua.pad.label"),
        },
        on_points_change=lambda: None,
        width="content",
        height="content",
    )
    st.button(
        tr("ua.pad.clear"),
        key=f"{key}_clear",
        icon=":material/delete_sweep:",
        on_click=_clear,
        args=(key,),
    )
    message = result.get("points")
    if outcome is None and message is not None:
        try:
            sent, seq = read_message(message)
            st.session_state[f"{key}_seq"] = seq  # so the pad adopts our answer, even a refusal
            outcome = parse_points(sent, x_range, y_range)
        except ValueError as exc:
            problem = pad_error_text(exc, tr)
    if problem:
        st.warning(problem)
    return current if outcome is None else outcome
