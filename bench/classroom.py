"""A classroom on one server: N browser sessions train at once; one JSON line of what they saw.

    python bench/classroom.py --sessions 8                 # starts its own `streamlit run app.py`
    python bench/classroom.py --sessions 8 --url http://127.0.0.1:8500 --server-pids 11,12
                                                           # an existing server (the HAProxy stack)
    python bench/classroom.py --sessions 8 --query early-stopping=0
                                                           # longer runs: the lab's share-link settings

How it measures, in one run:

0. *Warm-up* (not measured): one session trains the lab once, so that the
   server's one-off start costs fall on neither side of the comparison.
1. *Alone*: one headless chromium session opens the lab, clicks Train and
   waits for Finished; SOLO_RUNS times, each in a fresh session. The median
   of their samples per second (epochs done x training rows, over click to
   finish) is the single-session figure: a Boston run alone lasts ~1 s, and
   one such run moved the ratio by a fifth between two runs of the bench.
2. *Together*: N sessions (fresh browser contexts = fresh Streamlit sessions)
   open the same lab, then all click Train within a moment of each other, and
   each waits for its run's end.

Every time is taken in the browsers (Date.now(), one clock for all pages) by
a MutationObserver on the live status line: the click, the first live chart
(the status line and the "Loss per epoch" chart on the page, drawn by
Plotly or, while the run trains, by ui.live_chart; the empty charts shown before a
first run count from the run's first status line), every redraw
(the status line's text changed), the first training step, and the end.
A wrapper around the page's WebSocket (installed before the page loads)
also notes when the first message holding a status line arrived after the
click, which splits click-to-chart into the server's part and the browser's.

- `throughput_ratio`: all sessions' samples over the span from the first
  click to the last finish, divided by the single-session rate;
- `p95_click_to_first_chart_s`, `p95_click_to_training_s` (the queue wait
  included), `p95_redraw_gap_s` (gaps between redraws while training);
- `p95_click_to_status_message_s` (the click until the server's status line
  reached the page) and `p95_status_message_to_shown_s` (from there until
  the page showed it): the server's and the browser's shares of the wait;
- `together_cores_used`: cores busy on average from the N clicks to the last
  run's end, split into the server (with its training workers), the
  browsers, the rest (the bench, Playwright) and the kernel's own threads: on
  one machine the browsers share the server's cores;
- `rss_mb_per_session`: the server's resident memory after the N runs minus
  before them (after the single session), over N; with --url, the summed RSS
  of --server-pids (omit them and it is null);
- `errors`: sessions that did not finish within --budget seconds, showed an
  exception, or raised a page error; `load_before` / `load_after`: the
  machine's 1-minute load average, since other work on it changes everything.

Bounded: at most MAX_SESSIONS sessions, --budget seconds for the runs, and
only localhost URLs.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/classroom.py`

from bench.live_labs import LABS  # noqa: E402
from bench.proc_stats import cpu_seconds_by_kind, rss_mb  # noqa: E402
from bench.ws_ring import KEEP_MESSAGES, dump_on_error  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    CHROMIUM,
    LOCAL_HOSTS,
    VIEWPORT,
    launch_chromium,
    start_streamlit,
    stop_streamlit,
)

MAX_SESSIONS = 32
SOLO_RUNS = 3
DONE_WORDS = ("Finished", "Stopped early", "Diverged")

# Installed in every page before it loads: when the first message holding a status line (its
# " · epoch " part) arrives after the click. Streamlit's messages are protobuf; the text is UTF-8.
# With --dump-on-error it also hands every message to bench/ws_ring's keeper.
WATCH_SOCKET = """(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder('utf-8');
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('message', (event) => {
      const at = Date.now();
      if (window.__wsKeep) window.__wsKeep(at, event.data);
      const w = window.__cls;
      if (!w || w.click === null || w.statusMessage !== null || at < w.click) return;
      const look = (buffer) => {
        if (w.statusMessage === null && decoder.decode(buffer).includes(' \u00b7 epoch ')) {
          w.statusMessage = at;
        }
      };
      if (event.data instanceof ArrayBuffer) look(event.data);
      else if (event.data instanceof Blob) event.data.arrayBuffer().then(look);
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();"""

# Installed in every page after it loaded: timestamps of the click, the first chart, the redraws.
WATCH = """([lossTitle, doneWords]) => {
  const w = window.__cls = {click: null, chart: null, training: null, done: null, redraws: [],
                            last: null, status: null, exception: false, statusMessage: null};
  // The line shown before the click ("Ready"): only a change from it is a redraw.
  const before = document.querySelector('[data-testid="stProgress"]');
  const shownBefore = w.last = before ? before.innerText.trim() : null;
  const train = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Train');
  train.addEventListener('click', () => { w.click = Date.now(); }, {capture: true});
  const look = () => {
    if (w.click === null || w.done !== null) return;
    const bar = document.querySelector('[data-testid="stProgress"]');
    if (document.querySelector('[data-testid="stException"]')) w.exception = true;
    if (!bar) return;
    const text = bar.innerText.trim();
    const now = Date.now();
    if (w.chart === null && text !== shownBefore) {
      // The run's loss chart: a Plotly chart, or while the run trains the light canvas chart
      // (ui.live_chart). The empty charts shown before the first run are not the run's: they
      // count from the run's first redraw, when the status line has changed too.
      const titles = [...document.querySelectorAll('.js-plotly-plot .gtitle, .nnlab-lc-title')]
        .map(t => t.textContent);
      if (titles.some(t => t.startsWith(lossTitle))) w.chart = now;
    }
    if (text !== w.last) {
      w.last = text;
      w.redraws.push([now, text]);
      if (w.training === null && /^Training .* step [1-9]/.test(text)) w.training = now;
      if (doneWords.some(d => text.startsWith(d))) { w.done = now; w.status = text; }
    }
  };
  new MutationObserver(look).observe(document.body,
    {subtree: true, childList: true, characterData: true});
}"""
STATUS = r"^(\S[^·]*) · epoch (\d+)/(\d+)"


def p95(values: list[float]) -> float | None:
    """The 95th percentile (nearest rank) of `values`, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def load_average() -> float:
    """The machine's 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def open_session(browser, url: str, page_path: str, loss_title: str, dump: Path | None = None):
    """A fresh browser context on `page_path` (the lab's path and query), loaded, with WATCH installed."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-US")
    ctx.add_init_script(WATCH_SOCKET)
    if dump is not None:
        ctx.add_init_script(KEEP_MESSAGES)
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if dump is not None:
        page.on("pageerror", dump_on_error(page, dump))
    page.goto(url + page_path)
    page.get_by_text("Model summary").wait_for()
    page.get_by_role("button", name="Train", exact=True).wait_for()
    page.evaluate(WATCH, [loss_title, list(DONE_WORDS)])
    return ctx, page, errors


def run_group(
    browser,
    url: str,
    page_path: str,
    n: int,
    budget: float,
    loss_title: str,
    dump: Path | None = None,
    sample=None,
) -> list[dict]:
    """Open `n` sessions, click Train in each, wait (within `budget` s) for all; their records.

    `sample()` is called right after the clicks, and once the runs are over while the tabs
    are still open.
    """
    sessions = [open_session(browser, url, page_path, loss_title, dump) for _ in range(n)]
    try:
        for _, page, _ in sessions:
            page.get_by_role("button", name="Train", exact=True).click()
        if sample is not None:
            sample()
        deadline = time.monotonic() + budget
        pending = list(range(n))
        while pending and time.monotonic() < deadline:
            sessions[pending[0]][1].wait_for_timeout(500)  # lets Playwright deliver events
            pending = [i for i in pending if sessions[i][1].evaluate("window.__cls.done") is None]
        records = []
        for _, page, errors in sessions:
            record = page.evaluate("window.__cls")
            record["page_errors"] = errors
            records.append(record)
        if sample is not None:
            sample()
        return records
    finally:
        for ctx, _, _ in sessions:
            ctx.close()


def summarize(records: list[dict], n_train: int) -> dict:
    """Per-session figures from the WATCH records: samples, spans, gaps; errors counted."""
    out = {
        "errors": 0,
        "error_kinds": [],
        "samples": 0,
        "first_chart": [],
        "training": [],
        "status_message": [],
        "status_shown": [],
        "gaps": [],
        "runs": [],
    }
    for r in records:
        # An unfinished run names what its status line said last ("Stopped by an error", ...).
        last = (r.get("last") or "no status line")[:80]
        kinds = [
            kind
            for kind, bad in (
                (f"unfinished ({last})", r["done"] is None or r["click"] is None),
                ("exception", r["exception"]),
            )
            if bad
        ] + [f"page error: {e[:120]}" for e in r["page_errors"]]
        out["errors"] += bool(kinds)
        out["error_kinds"].extend(kinds)
        if r["done"] is None or r["click"] is None:
            continue
        m = re.match(STATUS, r["status"] or "")
        epochs = int(m.group(2)) if m else 0
        out["samples"] += epochs * n_train
        out["runs"].append((r["click"], r["done"], epochs * n_train))
        if r["chart"] is not None:
            out["first_chart"].append((r["chart"] - r["click"]) / 1000)
        if r["training"] is not None:
            out["training"].append((r["training"] - r["click"]) / 1000)
        if r.get("statusMessage") is not None:
            out["status_message"].append((r["statusMessage"] - r["click"]) / 1000)
            if r["redraws"]:
                out["status_shown"].append((r["redraws"][0][0] - r["statusMessage"]) / 1000)
        times = [t for t, text in r["redraws"] if text.startswith("Training")]
        out["gaps"].extend((b - a) / 1000 for a, b in zip(times, times[1:], strict=False))
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The bench's command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=8, help=f"1..{MAX_SESSIONS}")
    p.add_argument("--lab", choices=["xor", "iris", "boston"], default="boston")
    p.add_argument("--url", help="an existing server on localhost (default: start one)")
    p.add_argument("--server-pids", default="", help="with --url: pids whose RSS to measure")
    p.add_argument("--budget", type=float, default=600.0, help="seconds for each group's runs")
    p.add_argument(
        "--query",
        default="",
        help="training settings as the lab's share link names them (e.g. early-stopping=0); "
        "not its data (split, features, n-train): samples are counted on the default rows",
    )
    p.add_argument(
        "--dump-on-error",
        metavar="FOLDER",
        help="keep each page's last websocket messages; write them there on a page error",
    )
    args = p.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        p.error(f"--sessions must be 1..{MAX_SESSIONS}")
    if args.url and urlparse(args.url).hostname not in LOCAL_HOSTS:
        p.error("--url must be on localhost: this bench never loads another machine")
    return args


def main(argv: list[str] | None = None) -> None:
    """Measure alone, then N together; print one JSON line."""
    from playwright.sync_api import sync_playwright

    import data
    from models.admission import training_slots
    from ui.i18n import ENGLISH

    args = parse_args(argv)
    spec = LABS[args.lab]
    ds = data.load(spec.get("dataset", args.lab), **spec["load"])
    n_train = len(ds.y_train)
    loss_title = ENGLISH("training_charts.loss_title")
    dump = Path(args.dump_on_error) if args.dump_on_error else None
    page_path = spec["path"] + "?lang=en" + (f"&{args.query.lstrip('?&')}" if args.query else "")
    proc = None
    load_before = load_average()
    if args.url:
        url = args.url.rstrip("/")
        pids = [int(p) for p in args.server_pids.split(",") if p.strip()]
    else:
        proc, url = start_streamlit(ROOT / "test-results" / "classroom_streamlit.log")
        pids = [proc.pid]
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw, CHROMIUM)
            try:
                # Unmeasured: a fresh server's first run pays one-off costs (imports, caches,
                # the browser's chart library) that would flatter the N sessions against it.
                run_group(browser, url, page_path, 1, args.budget, loss_title, dump)
                alone = [
                    summarize(
                        run_group(browser, url, page_path, 1, args.budget, loss_title, dump),
                        n_train,
                    )
                    for _ in range(SOLO_RUNS)
                ]
                rss_before = rss_mb(pids)
                samples: list = []
                together_records = run_group(
                    browser,
                    url,
                    page_path,
                    args.sessions,
                    args.budget,
                    loss_title,
                    dump,
                    lambda: samples.append((cpu_seconds_by_kind(pids, CHROMIUM), time.monotonic())),
                )
                (cpu_before, wall_before), (cpu_after, wall) = samples
                rss_after = rss_mb(pids)
            finally:
                browser.close()
    finally:
        if proc is not None:
            stop_streamlit(proc)
    together = summarize(together_records, n_train)
    solo_rates = [
        samples / ((done - click) / 1000) for a in alone for click, done, samples in a["runs"]
    ]
    solo_rate = statistics.median(solo_rates) if solo_rates else None
    ratio = None
    if together["runs"] and solo_rate:
        span = (max(r[1] for r in together["runs"]) - min(r[0] for r in together["runs"])) / 1000
        ratio = together["samples"] / span / solo_rate

    def rounded(x, digits=3):
        return None if x is None else round(x, digits)

    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "errors": together["errors"],
                "finished": len(together["runs"]),
                "p95_click_to_first_chart_s": rounded(p95(together["first_chart"])),
                "p95_redraw_gap_s": rounded(p95(together["gaps"])),
                "throughput_ratio": rounded(ratio),
                "rss_mb_per_session": rounded(
                    None if rss_before is None else (rss_after - rss_before) / args.sessions, 1
                ),
                "p95_click_to_training_s": rounded(p95(together["training"])),
                "p95_click_to_status_message_s": rounded(p95(together["status_message"])),
                "p95_status_message_to_shown_s": rounded(p95(together["status_shown"])),
                "solo_samples_per_s": rounded(solo_rate, 0),
                "solo_runs_samples_per_s": [round(r) for r in solo_rates],
                "together_samples_per_s": rounded(None if ratio is None else ratio * solo_rate, 0),
                "solo_errors": sum(a["errors"] for a in alone),
                "error_kinds": sorted(
                    set(together["error_kinds"] + [k for a in alone for k in a["error_kinds"]])
                ),
                "server_rss_mb": rounded(rss_after, 0),
                # Cores busy, on average, while the N sessions ran: who used the machine.
                "together_cores_used": {
                    kind: round((cpu_after[kind] - cpu_before[kind]) / (wall - wall_before), 2)
                    for kind in cpu_after
                },
                "training_slots": None if args.url else training_slots(),
                "lab": args.lab,
                "query": args.query,
                "url": "own server" if proc is not None else url,
                "cores": os.cpu_count(),
                "load_before": load_before,
                "load_after": load_average(),
            }
        )
    )


if __name__ == "__main__":
    main()
