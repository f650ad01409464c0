"""Keyboard focus that survives a button disabling itself (an accessibility review's finding).

A student who trains with the keyboard presses Enter on Train; the run starts, Train is
disabled while it trains, and the browser drops the focus to the page's body. The next Tab
then starts again at "Skip to main content" and the sidebar's thirteen links, far from
Pause. The same happens on Pause. A small script notes a button pressed from the keyboard
(a click whose `detail` is 0) and, once that button is disabled and the focus has fallen
to the body, moves it to the button in the same row that the press enabled (Train -> Pause
-> Resume), or until that one arrives, to the row's first enabled button.

It watches only the `disabled` attribute, which changes a few times a run, not the live
view's redraws; a mouse click is left alone.
"""

from __future__ import annotations

from ui.hidden_script import hidden_script

_KEY = "nnlab_keyboard_focus"  # its hidden container's key
# How long after a key press a disabled button still hands its focus on: a busy server's
# rerun can take seconds before the button is disabled.
HAND_ON_SECONDS = 30
SCRIPT = f"""<script>
(() => {{
  if (window.__nnlabKeyboardFocus) return;
  window.__nnlabKeyboardFocus = true;
  // The button pressed, its row, the row's buttons that were disabled then, where the focus
  // was moved last, and until when.
  let pressed = null, row = null, wasDisabled = [], movedTo = null, until = 0;
  document.addEventListener("click", (event) => {{
    const button = event.target.closest && event.target.closest("button");
    // A click made with Enter or Space has no pointer position to count: detail 0.
    if (button && event.detail === 0) {{
      pressed = button;
      row = button.closest('[data-testid="stHorizontalBlock"]');
      wasDisabled = row ? [...row.querySelectorAll("button")].filter((b) => b.disabled) : [];
      movedTo = null;
      until = Date.now() + {HAND_ON_SECONDS * 1000};
    }}
  }}, true);
  const handOn = () => {{
    if (!pressed || !row || Date.now() > until || !pressed.disabled) return;
    // Chromium may keep a disabled button as the active element for a moment, then blur it.
    const active = document.activeElement;
    if (active && active !== document.body && active !== pressed && active !== movedTo) {{
      pressed = null;  // the student has moved on
      return;
    }}
    // The row's buttons arrive one by one: the button the press enabled (Pause after Train,
    // Resume after Pause) when it is there, until then the first enabled one.
    const enabled = [...row.querySelectorAll("button")].filter((b) => !b.disabled);
    const next = enabled.find((b) => wasDisabled.includes(b)) || enabled[0];
    if (next && next !== active) {{
      next.focus();
      movedTo = next;
    }}
  }};
  document.addEventListener("focusout", () => setTimeout(handOn, 0), true);
  new MutationObserver(handOn).observe(document.body, {{
    subtree: true, attributes: true, attributeFilter: ["disabled"],
  }});
}})();
</script>"""


def keyboard_focus_ui() -> None:
    """Keep a keyboard user's focus in a row of buttons when the pressed one disables itself.

    Call once a full run (app.py); the script runs once a page.
    """
    hidden_script(_KEY, SCRIPT)
