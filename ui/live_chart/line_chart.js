// NN Lab's live line chart: a training curve drawn on one <canvas>, redrawn in place.
//
// Streamlit calls the default export on every redraw with the chart's spec
// (ui/live_chart/spec.py) as `data`. The chart's nodes are made once and kept
// on the component's element, so a redraw only repaints the canvas: no SVG
// nodes are rebuilt and nothing is laid out again, which is what made Plotly's
// redraws cost the browser (bench/README.md, "A lighter renderer").

// The plotly figures' plot margins (ui/figures/training.py, _figure) less the parts
// drawn outside the canvas: the title above it and the legend below it.
const LEFT = 60;
const RIGHT = 10;
const TOP = 8;
const BOTTOM = 44;
const TITLE_HEIGHT = 32;
const LEGEND_HEIGHT = 30;
const DASHES = { solid: [], dash: [6, 4], dot: [2, 3], dashdot: [6, 3, 2, 3], longdash: [10, 4] };
const FALLBACK_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

/** A round tick spacing (1, 2 or 5 times a power of ten) giving about `count` ticks over `span`. */
function tickStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const unit = raw / power;
  return (unit < 1.5 ? 1 : unit < 3.5 ? 2 : unit < 7.5 ? 5 : 10) * power;
}

/** The tick values from `lo` to `hi`, `step` apart, on multiples of `step` (none if degenerate). */
function ticksBetween(lo, hi, step) {
  if (!(step > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  const first = Math.ceil(lo / step - 1e-9);
  const count = Math.floor(hi / step + 1e-9) - first;
  const out = [];
  // Counted, not accumulated: adding a step far below a value's precision would never end.
  for (let i = 0; i <= Math.min(count, 100); i++) {
    const v = (first + i) * step;
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

/** A tick label with as many decimals as the spacing needs; thousands as "k", as Plotly writes them. */
function tickLabel(v, step) {
  if (v === 0) return "0";
  if (Math.abs(v) >= 10000 || step >= 10000) {
    return tickLabel(v / 1000, step / 1000) + "k";
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 6));
}

/** [min, max] of the finite values of `key` over every line, or null when there are none. */
function extent(lines, key) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const line of lines) {
    for (const v of line[key]) {
      if (v !== null && v < lo) lo = v;
      if (v !== null && v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The axis range: the data's with 5% padding (Plotly's autorange), a fixed one, or a default. */
function axisRange(lines, key, fixed) {
  if (fixed) return fixed;
  const span = extent(lines, key);
  if (!span) return [0, 1];
  let [lo, hi] = span;
  if (lo === hi) {
    const half = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - half, hi + half];
  }
  const pad = key === "y" ? (hi - lo) * 0.05 : 0;
  return [lo - pad, hi + pad];
}

/** The chart's nodes, made on first use and kept on `parent` for every later redraw. */
function chartNodes(parent) {
  let root = parent.querySelector(".nnlab-lc");
  if (root) return root.__chart;
  root = document.createElement("div");
  root.className = "nnlab-lc";
  root.setAttribute("data-testid", "nnlabLiveChart");
  const title = document.createElement("div");
  title.className = "nnlab-lc-title";
  const canvas = document.createElement("canvas");
  canvas.className = "nnlab-lc-canvas";
  const legend = document.createElement("div");
  legend.className = "nnlab-lc-legend";
  const tip = document.createElement("div");
  tip.className = "nnlab-lc-tip";
  root.append(title, canvas, legend, tip);
  parent.appendChild(root);
  const chart = { root, title, canvas, legend, tip, spec: null, legendKey: "", pointer: null };
  root.__chart = chart;
  canvas.addEventListener("mousemove", (e) => {
    const box = canvas.getBoundingClientRect();
    chart.pointer = [e.clientX - box.left, e.clientY - box.top];
    paint(chart);
  });
  canvas.addEventListener("mouseleave", () => {
    chart.pointer = null;
    paint(chart);
  });
  new ResizeObserver(() => paint(chart)).observe(root);
  return chart;
}

/** Rebuild the legend's entries only when the lines' names or looks changed. */
function drawLegend(chart, lines) {
  const key = JSON.stringify(lines.map((l) => [l.name, l.color, l.dash, l.opacity]));
  if (key === chart.legendKey) return;
  chart.legendKey = key;
  chart.legend.replaceChildren(
    ...lines.map((line, i) => {
      const item = document.createElement("span");
      item.className = "nnlab-lc-item";
      const swatch = document.createElement("span");
      swatch.className = "nnlab-lc-swatch";
      const colour = line.color || FALLBACK_COLOURS[i % FALLBACK_COLOURS.length];
      swatch.style.borderTop = `${Math.max(2, line.width)}px ${line.dash === "solid" ? "solid" : line.dash === "dot" ? "dotted" : "dashed"} ${colour}`;
      swatch.style.opacity = String(Math.max(0.4, line.opacity));
      item.append(swatch, document.createTextNode(line.name));
      return item;
    }),
  );
}

/** One straight line from (xa, ya) to (xb, yb) in the current stroke style. */
function segment(ctx, xa, ya, xb, yb) {
  ctx.beginPath();
  ctx.moveTo(xa, ya);
  ctx.lineTo(xb, yb);
  ctx.stroke();
}

/** Draw a marker: a diamond or, for any other symbol, a circle. */
function marker(ctx, x, y, symbol) {
  ctx.beginPath();
  if (symbol === "diamond") {
    ctx.moveTo(x, y - 4);
    ctx.lineTo(x + 4, y);
    ctx.lineTo(x, y + 4);
    ctx.lineTo(x - 4, y);
    ctx.closePath();
  } else {
    ctx.arc(x, y, 3, 0, 2 * Math.PI);
  }
  ctx.fill();
}

/** The index in line.x nearest to `x` (x ascending), or -1 for an empty line. */
function nearest(xs, x) {
  if (!xs.length) return -1;
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(xs[lo] - x) <= Math.abs(xs[hi] - x) ? lo : hi;
}

/** Repaint the canvas from the chart's current spec (and the pointer's hover line, if any). */
function paint(chart) {
  const spec = chart.spec;
  if (!spec) return;
  const { canvas, root } = chart;
  const width = Math.max(120, root.clientWidth);
  const height = Math.max(80, spec.height - TITLE_HEIGHT - LEGEND_HEIGHT);
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const style = getComputedStyle(root);
  const text = style.color || "#31333F";
  const font = style.fontFamily || "sans-serif";

  const lines = spec.lines;
  const [x0, x1] = axisRange(lines, "x", null);
  const [y0, y1] = axisRange(lines, "y", spec.y_range);
  const plotW = width - LEFT - RIGHT;
  const plotH = height - TOP - BOTTOM;
  const px = (x) => LEFT + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y) => TOP + (1 - (y - y0) / (y1 - y0)) * plotH;

  // Grid and tick labels.
  ctx.font = `12px ${font}`;
  ctx.fillStyle = text;
  ctx.strokeStyle = "rgba(128, 128, 128, 0.25)";
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  const yStep = tickStep(y1 - y0, 5);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ticksBetween(y0, y1, yStep)) {
    const y = Math.round(py(v)) + 0.5;
    segment(ctx, LEFT, y, LEFT + plotW, y);
    ctx.fillText(tickLabel(v, yStep), LEFT - 6, y);
  }
  // Whole numbers only on an epoch or step axis: the x values are counts.
  const xStep = Math.max(1, tickStep(x1 - x0, Math.max(2, Math.floor(plotW / 80))));
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of ticksBetween(x0, x1, xStep)) {
    const x = Math.round(px(v)) + 0.5;
    segment(ctx, x, TOP, x, TOP + plotH);
    ctx.fillText(tickLabel(v, xStep), x, TOP + plotH + 6);
  }
  // Axis titles.
  ctx.font = `14px ${font}`;
  ctx.fillText(spec.x_title, LEFT + plotW / 2, TOP + plotH + 24);
  ctx.save();
  ctx.translate(14, TOP + plotH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText(spec.y_title, 0, 0);
  ctx.restore();

  // The lines, clipped to the plot area; a null value leaves a gap.
  ctx.save();
  ctx.beginPath();
  ctx.rect(LEFT, TOP, plotW, plotH);
  ctx.clip();
  lines.forEach((line, i) => {
    const colour = line.color || FALLBACK_COLOURS[i % FALLBACK_COLOURS.length];
    ctx.globalAlpha = line.opacity;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = line.width;
    ctx.setLineDash(DASHES[line.dash] || []);
    ctx.beginPath();
    let open = false;
    for (let k = 0; k < line.x.length; k++) {
      const y = line.y[k];
      if (y === null || line.x[k] === null) {
        open = false;
        continue;
      }
      if (open) ctx.lineTo(px(line.x[k]), py(y));
      else ctx.moveTo(px(line.x[k]), py(y));
      open = true;
    }
    ctx.stroke();
    if (line.markers) {
      for (let k = 0; k < line.x.length; k++) {
        if (line.y[k] !== null) marker(ctx, px(line.x[k]), py(line.y[k]), line.symbol);
      }
    }
  });
  ctx.restore();
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  drawLegend(chart, lines);
  hover(chart, ctx, px, py, plotH, x0, x1, plotW);
}

/** The pointer's vertical guide and a box with every line's value at the nearest x. */
function hover(chart, ctx, px, py, plotH, x0, x1, plotW) {
  const { tip, spec, pointer } = chart;
  if (!pointer || pointer[0] < LEFT || pointer[0] > LEFT + plotW) {
    tip.style.display = "none";
    return;
  }
  const x = x0 + ((pointer[0] - LEFT) / plotW) * (x1 - x0);
  const rows = [];
  let at = null;
  for (const line of spec.lines) {
    const k = nearest(line.x, x);
    if (k < 0 || line.y[k] === null) continue;
    at = at === null ? line.x[k] : at;
    rows.push(`${line.name}: ${Number(line.y[k].toPrecision(4))}`);
  }
  if (at === null) {
    tip.style.display = "none";
    return;
  }
  const gx = Math.round(px(at)) + 0.5;
  ctx.strokeStyle = "rgba(128, 128, 128, 0.8)";
  segment(ctx, gx, TOP, gx, TOP + plotH);
  tip.textContent = `${spec.x_title} ${at}\n${rows.join("\n")}`;
  tip.style.display = "block";
  const left = gx + 12 + 160 > chart.root.clientWidth ? gx - 12 - tip.offsetWidth : gx + 12;
  tip.style.left = `${Math.max(0, left)}px`;
  tip.style.top = `${TITLE_HEIGHT + TOP}px`;
}

/** Streamlit's entry point: keep the chart's nodes, take the new spec, repaint. */
export default function (component) {
  const chart = chartNodes(component.parentElement);
  const spec = component.data;
  chart.spec = spec;
  chart.root.setAttribute("aria-label", spec.title);
  if (chart.title.textContent !== spec.title) chart.title.textContent = spec.title;
  paint(chart);
}
