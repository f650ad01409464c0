"""Keep a page's last websocket messages, to read what Streamlit sent before a page error.

    python bench/classroom.py --sessions 8 --dump-on-error test-results/page-errors

A frontend error such as "'setIn' cannot be called on an ElementNode" comes about
once in 30 classroom runs here and has not been reproduced on demand
(bench/README.md, "A classroom on one server"). With this installed, the page
keeps its last RING_SIZE messages, and a page error writes them to a JSON file
with the error's text and stack. `decode(path)` turns each message back into
Streamlit's ForwardMsg, which shows the deltas and their paths in arrival order.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

RING_SIZE = 600

# Installed before the page loads: the bench's WebSocket wrapper (bench/classroom.WATCH_SOCKET)
# hands every message to window.__wsKeep when it exists.
KEEP_MESSAGES = f"""(() => {{
  window.__wsRing = [];
  window.__wsKeep = (at, data) => {{
    window.__wsRing.push([at, data]);
    if (window.__wsRing.length > {RING_SIZE}) window.__wsRing.shift();
  }};
}})();"""

READ_MESSAGES = """async () => {
  const out = [];
  for (const [at, data] of window.__wsRing || []) {
    const bytes = new Uint8Array(data instanceof Blob ? await data.arrayBuffer() : data);
    let text = '';
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    out.push([at, btoa(text)]);
  }
  return out;
}"""


def dump_on_error(page, folder: Path):
    """A `pageerror` handler for `page` that writes the error and the page's last messages to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)

    def handler(error) -> None:
        try:
            messages = page.evaluate(READ_MESSAGES)
        except Exception as exc:  # the page may be gone; the error itself is still worth keeping
            messages = [f"could not read the messages: {exc}"]
        at = time.time()
        record = {
            "at_ms": round(at * 1000),
            "error": str(error),
            "stack": getattr(error, "stack", None),
            "url": page.url,
            "messages": messages,
        }
        (folder / f"page-error-{at:.3f}.json").write_text(json.dumps(record), encoding="utf-8")

    return handler


def decode(path: Path) -> list[tuple[int, str]]:
    """The messages of a dump as (arrival ms, ForwardMsg in protobuf text format)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    record = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for at, data in record["messages"]:
        if isinstance(at, int | float):
            out.append((int(at), str(ForwardMsg.FromString(base64.b64decode(data)))))
    return out
