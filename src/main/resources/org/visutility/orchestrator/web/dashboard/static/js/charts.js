// Charts drawn with Apache ECharts (served from the jar at /webjars/echarts/). After each chart has
// rendered, its element carries what it shows, for tests and for anyone reading the DOM:
//   data-points      JSON {series name: number of points drawn}
//   data-thresholds  number of threshold segments (timelines)
//   data-marks       number of firing/resolved marks (timelines)
//   data-legend      JSON [the names of the series drawn, hence of the legend entries] (timelines)
//   data-bands       number of version bands, one per period a version was active (timelines)
//   data-version-marks JSON {approved|rejected|rollback: number of markers} (timelines)
//   data-rendered    "true"
// Tooltips are the only HTML ECharts takes from us: every formatter escapes what it shows (names,
// categorical choices and parameter names come from users' specs), and marks series colours with
// classes, since the Content-Security-Policy refuses inline styles (so item tooltips are confined:
// ECharts draws the arrow of an unconfined one with an inline style).
import { escapeHtml, time } from './ui.js';

const COLORS = {
  threshold: '#dc2626',
  firing: '#dc2626',
  resolved: '#16a34a',
  score: '#2563eb',
  best: '#f59e0b',
  pruned: '#6b7280',
};
/** The version markers' colours: distinct from the series palette and from firing/resolved (.swatch-* in dashboard.css). */
const VERSION_MARKS = {
  approval: { label: 'approved', color: '#0d9488' },
  rejection: { label: 'rejected', color: '#c2410c' },
  rollback: { label: 'rollback', color: '#9333ea' },
};
const BAND_OPACITY = 0.1;
const BAND_GREY = '#94a3b8';
const PALETTE = ['#2563eb', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4b5563']; // .tt-c0 ... .tt-c6 in dashboard.css
const TEXT = '#374151';

function baseOption() {
  return {
    animation: false,
    useUTC: true,
    color: PALETTE,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', color: TEXT },
  };
}

/** Renders an option into el and resolves once ECharts has finished drawing it. */
function render(el, option, describe) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  window.addEventListener('resize', () => chart.resize());
  return new Promise((resolve) => {
    chart.on('finished', () => {
      if (el.dataset.rendered === 'true') return;
      const drawn = chart.getOption();
      Object.assign(el.dataset, describe(drawn), { rendered: 'true' });
      resolve(chart);
    });
    chart.setOption(option);
  });
}

function pointsBySeries(drawn, prefix) {
  const counts = {};
  drawn.series.filter((s) => String(s.id).startsWith(prefix)).forEach((s) => {
    counts[s.name] = s.data.length;
  });
  return JSON.stringify(counts);
}

const ms = (iso) => Date.parse(iso);

const round4 = (v) => (typeof v === 'number' ? String(Number(v.toFixed(4))) : escapeHtml(v));

/** A coloured dot for a series in a tooltip, by class (dashboard.css), in the series' palette colour. */
function marker(color) {
  const i = PALETTE.indexOf(color);
  return `<span class="tt-marker${i >= 0 ? ` tt-c${i}` : ''}"></span>`;
}

/**
 * The timeline's tooltip: the time, then each series' value at it, then what the model's versions
 * say about that moment (versionLines). It is the tooltip shown anywhere over the plot: ECharts lets
 * it win over the item tooltips of the bands and markers there.
 */
function timelineTooltip(params, versionsAt = () => []) {
  const list = Array.isArray(params) ? params : [params];
  if (!list.length) return '';
  const at = Number(list[0].axisValue);
  const rows = list.filter((p) => Array.isArray(p.value))
    .map((p) => `${marker(p.color)}${escapeHtml(p.seriesName)}: <strong>${round4(p.value[1])}</strong>`);
  return [escapeHtml(time(new Date(at).toISOString())), ...rows, ...versionsAt(at)].join('<br>');
}

/** How near a marker must be to the time under the pointer to be named in its tooltip, as a share of the window. */
const NEAR_SHARE = 0.015;

/**
 * For the timeline's tooltip at a time: the version active then, who made it active and why, and
 * each approval, rejection or rollback near that time with who and why, every line escaped.
 */
function versionLines(versions, window) {
  if (!versions) return () => [];
  const near = window.from && window.to ? (ms(window.to) - ms(window.from)) * NEAR_SHARE : 0;
  return (at) => {
    const lines = [];
    const band = versions.bands.find((b) => ms(b.active_from) <= at && (!b.active_until || at < ms(b.active_until)));
    if (band) lines.push(escapeHtml(`active: ${band.version} (${band.activated_by}: ${band.reason})`));
    versions.markers.filter((m) => VERSION_MARKS[m.kind] && Math.abs(ms(m.at) - at) <= near).forEach((m) => {
      lines.push(escapeHtml(`${VERSION_MARKS[m.kind].label} ${m.version} at ${time(m.at)} · ${m.actor}: ${m.reason}`));
    });
    return lines;
  };
}

/** A mark's tooltip: a title and lines of text, every one escaped. */
function markTooltip(title, ...lines) {
  return [`<strong>${escapeHtml(title)}</strong>`, ...lines.filter((l) => l).map(escapeHtml)].join('<br>');
}

/** A band's tooltip: which version was active, from when until when, and who made it active and why. */
function bandTooltip(b) {
  return markTooltip(`${b.version} active`, `from ${time(b.active_from)}`,
    b.active_until ? `until ${time(b.active_until)}` : 'still active', `${b.activated_by}: ${b.reason}`);
}

/** A version marker's tooltip: approved, rejected or rollback, the version, when, who and why. */
function versionMarkTooltip(m) {
  return markTooltip(`${VERSION_MARKS[m.kind].label} ${m.version}`, time(m.at),
    `${m.from_status || 'new'} → ${m.to_status}`, `${m.actor}: ${m.reason}`);
}

/**
 * The model's versions on a timeline: a light band (labelled with the version, in its series'
 * colour) for each period a version was active, cut to the window, and a dashed line in the
 * kind's colour for each approval, rejection and rollback inside it, one series per kind so the
 * legend names them. Each band and marker carries `ref`, its index in the list its tooltip reads
 * (ECharts leaves out marks outside the axis, so its own index would not do).
 */
function versionSeries(versions, metric, window) {
  if (!versions) return [];
  const start = window.from ? ms(window.from) : -Infinity;
  const end = window.to ? ms(window.to) : Infinity;
  const colorOf = (version) => {
    const i = metric.series.findIndex((s) => s.version === version);
    return i >= 0 ? PALETTE[i % PALETTE.length] : BAND_GREY;
  };
  const bands = versions.bands.map((b) => ({
    band: b,
    from: Math.max(ms(b.active_from), start),
    to: Math.min(b.active_until ? ms(b.active_until) : end, end),
  })).filter((b) => Number.isFinite(b.from) && Number.isFinite(b.to) && b.from < b.to);
  const out = [{
    id: 'versions',
    name: 'active version',
    type: 'line',
    color: BAND_GREY,
    data: [],
    markArea: {
      silent: false,
      tooltip: { confine: true, formatter: (p) => bandTooltip(bands[p.data.ref].band) },
      label: { show: true, position: 'insideTopLeft', color: TEXT, fontSize: 11, formatter: (p) => bands[p.data.ref].band.version },
      data: bands.map((b, ref) => [
        { name: b.band.version, xAxis: b.from, ref, itemStyle: { color: colorOf(b.band.version), opacity: BAND_OPACITY } },
        { xAxis: b.to },
      ]),
    },
  }];
  const inWindow = versions.markers.filter((m) => VERSION_MARKS[m.kind] && ms(m.at) >= start && ms(m.at) <= end);
  Object.entries(VERSION_MARKS).forEach(([kind, look]) => {
    const marks = inWindow.filter((m) => m.kind === kind);
    if (!marks.length) return;
    out.push({
      id: `version:${kind}`,
      name: look.label,
      type: 'line',
      color: look.color,
      data: [],
      markLine: {
        symbol: 'none',
        silent: false,
        tooltip: { confine: true, formatter: (p) => versionMarkTooltip(marks[p.data.ref]) },
        data: marks.map((m, ref) => ({
          name: m.version,
          xAxis: ms(m.at),
          ref,
          lineStyle: { color: look.color, type: 'dashed', width: 1.5 },
          label: { formatter: () => `${look.label} ${m.version}`, position: 'insideStartTop', color: look.color, fontSize: 11 },
        })),
      },
    });
  });
  return out;
}

/**
 * One metric's timeline: a line per (version, segment, source) series, each policy's threshold as
 * a dashed step line over the time each policy version was in force, a vertical mark where a
 * policy went firing (red) or resolved (green), and, when the model's version history is given,
 * its versions' active periods and approvals, rejections and rollbacks (versionSeries).
 */
export function timelineChart(el, metric, window, versions = null) {
  const series = metric.series.map((s) => ({
    id: `data:${s.name}`,
    name: s.name,
    type: 'line',
    showSymbol: true,
    symbolSize: 5,
    lineStyle: { width: 2 },
    emphasis: { focus: 'series' },
    data: s.points.map((p) => [ms(p[0]), p[1], p[2]]),
  }));

  const byPolicy = new Map();
  metric.thresholds.forEach((t) => {
    const key = `${t.policy} (${t.direction})`;
    if (!byPolicy.has(key)) byPolicy.set(key, []);
    byPolicy.get(key).push(t);
  });
  byPolicy.forEach((segments, key) => {
    const data = [];
    segments.forEach((t, i) => {
      if (i > 0 && ms(t.from) > ms(segments[i - 1].to)) data.push([ms(t.from), null]);
      data.push([ms(t.from), t.value], [ms(t.to), t.value]);
    });
    const last = segments[segments.length - 1];
    series.push({
      id: `threshold:${key}`,
      name: `threshold: ${key}`,
      type: 'line',
      symbol: 'none',
      connectNulls: false,
      color: COLORS.threshold,
      lineStyle: { type: 'dashed', width: 1.5, color: COLORS.threshold },
      endLabel: { show: true, formatter: () => `${last.direction} ${last.value}`, color: COLORS.threshold, fontSize: 11 },
      tooltip: { show: false },
      data,
    });
  });

  // the legend entry only when there is something to name: a chart with no firing or resolved mark draws none
  if (metric.marks.length) series.push({
    id: 'marks',
    name: 'firing / resolved',
    type: 'line',
    color: COLORS.firing,
    data: [],
    markLine: {
      symbol: 'none',
      silent: false,
      tooltip: { confine: true, formatter: (p) => markTooltip(`${metric.marks[p.data.ref].policy}: ${metric.marks[p.data.ref].state}`, time(metric.marks[p.data.ref].evaluated_at)) },
      data: metric.marks.map((m, ref) => ({
        name: `${m.policy}: ${m.state}`,
        xAxis: ms(m.evaluated_at),
        ref,
        lineStyle: { color: COLORS[m.state], type: 'solid', width: 1.5 },
        label: { formatter: m.state, position: 'insideEndTop', color: COLORS[m.state], fontSize: 11 },
      })),
    },
  });

  series.push(...versionSeries(versions, metric, window));
  const versionsAt = versionLines(versions, window);

  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 90, top: 44, bottom: 32 },
    legend: { top: 4, left: 'center', type: 'scroll', itemWidth: 18 },
    tooltip: { trigger: 'axis', formatter: (params) => timelineTooltip(params, versionsAt) },
    xAxis: { type: 'time', min: window.from ? ms(window.from) : null, max: window.to ? ms(window.to) : null },
    yAxis: { type: 'value', scale: true },
    dataZoom: [{ type: 'inside' }],
    series,
  });
  return render(el, option, (drawn) => ({
    points: pointsBySeries(drawn, 'data:'),
    thresholds: String(metric.thresholds.length),
    marks: String(drawn.series.filter((s) => s.id === 'marks').reduce((n, s) => n + s.markLine.data.length, 0)),
    legend: JSON.stringify(drawn.series.map((s) => s.name)),
    bands: String(drawn.series.filter((s) => s.id === 'versions').reduce((n, s) => n + s.markArea.data.length, 0)),
    versionMarks: JSON.stringify(Object.fromEntries(drawn.series.filter((s) => String(s.id).startsWith('version:'))
      .map((s) => [s.name, s.markLine.data.length]))),
  }));
}

/** A pruned trial's value: its score, or else the last value of its learning curve (null when it has neither). */
function prunedValue(t, curves) {
  if (t.score !== null && t.score !== undefined) return t.score;
  const curve = curves.find((c) => c.trial_number === t.trial_number);
  return curve && curve.points.length ? curve.points[curve.points.length - 1][1] : null;
}

/**
 * The optimisation history: each complete trial's score, the best score so far as a step line, and
 * each pruned trial (a grey cross) at its score or, without one, at the last value it reported.
 */
export function historyChart(el, trials, objective, curves = []) {
  const complete = trials.filter((t) => t.status === 'complete' && t.score !== null);
  const pruned = trials.filter((t) => t.status === 'pruned')
    .map((t) => [t.trial_number, prunedValue(t, curves)]).filter((p) => p[1] !== null);
  const lastNumber = trials.length ? trials[trials.length - 1].trial_number : 0;
  const series = [
    {
      id: 'data:score', name: 'score', type: 'scatter', symbolSize: 9, color: COLORS.score,
      data: complete.map((t) => [t.trial_number, t.score]),
    },
    {
      id: 'data:best so far', name: 'best so far', type: 'line', step: 'end', symbol: 'none', color: COLORS.best,
      lineStyle: { width: 2.5 },
      data: complete.map((t) => [t.trial_number, t.best_so_far]),
    },
  ];
  if (pruned.length) {
    series.push({ id: 'data:pruned', name: 'pruned', type: 'scatter', symbol: 'triangle', symbolRotate: 180, symbolSize: 10, color: COLORS.pruned, data: pruned });
  }
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 30, top: 44, bottom: 44 },
    legend: { top: 4 },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `trial ${escapeHtml(p.value[0])}<br>${escapeHtml(p.seriesName)}: ${round4(p.value[1])}` },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 0, max: Math.max(lastNumber, 1), minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: objective || 'score' },
    series,
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/**
 * The learning curves: one line per trial of the objective it reported at each step, complete
 * trials in the palette's colours and pruned ones grey and dashed (where the pruner stopped them).
 * data-points names each series "trial N".
 */
export function curvesChart(el, curves, statusOf, metric) {
  const series = curves.map((c) => {
    const pruned = statusOf(c.trial_number) === 'pruned';
    return {
      id: `data:trial ${c.trial_number}`,
      name: `trial ${c.trial_number}`,
      type: 'line',
      symbolSize: 4,
      color: pruned ? COLORS.pruned : undefined,
      lineStyle: { width: 1.5, type: pruned ? 'dashed' : 'solid' },
      emphasis: { focus: 'series' },
      data: c.points.map((p) => [p[0], p[1]]),
    };
  });
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 30, top: 20, bottom: 44 },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `${escapeHtml(p.seriesName)}<br>step ${escapeHtml(p.value[0])}: ${round4(p.value[1])}` },
    xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28, minInterval: 1, scale: true },
    yAxis: { type: 'value', scale: true, name: metric || 'value' },
    dataZoom: [{ type: 'inside' }],
    series,
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/**
 * The parameters' importance (ParameterImportance on the server): one horizontal bar per parameter
 * with an estimate, the most important on top. data-points says {importance: bars}.
 */
export function importanceChart(el, importance) {
  const rows = importance.parameters.filter((p) => p.importance !== null).reverse();
  const option = Object.assign(baseOption(), {
    grid: { left: 120, right: 40, top: 10, bottom: 30 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => {
        const r = rows[p.dataIndex];
        return `${escapeHtml(r.name)}<br>importance: ${round4(r.importance)}<br>rank correlation: ${round4(r.correlation)} (${escapeHtml(r.trials)} trials)`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ id: 'data:importance', name: 'importance', type: 'bar', color: COLORS.score, data: rows.map((r) => r.importance) }],
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/** How the trials of each node ended (the API's trials_per_node), a stacked bar per node, its series named by status. */
const NODE_STATUSES = [
  { key: 'complete', color: COLORS.score },
  { key: 'failed', color: COLORS.threshold },
  { key: 'pruned', color: COLORS.pruned },
  { key: 'running', color: COLORS.best },
];

export function nodesChart(el, nodes) {
  const rows = nodes.slice().reverse(); // the node with the most trials on top
  const option = Object.assign(baseOption(), {
    grid: { left: 160, right: 30, top: 34, bottom: 30 },
    legend: { top: 4 },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => `${escapeHtml(rows[p.dataIndex].node)}<br>${escapeHtml(p.seriesName)}: ${escapeHtml(p.value)}`
        + ` of ${escapeHtml(rows[p.dataIndex].trials)} trials`,
    },
    xAxis: { type: 'value', name: 'trials', nameLocation: 'middle', nameGap: 22, minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.node), axisLabel: { width: 150, overflow: 'truncate' } },
    series: NODE_STATUSES.map((s) => ({
      id: `data:${s.key}`, name: s.key, type: 'bar', stack: 'trials', color: s.color, data: rows.map((r) => r[s.key]),
    })),
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/**
 * Two (or more) experiments' optimisation histories on one chart, by trial number: for each, its
 * complete trials' scores and its best score so far, in its own palette colour. Series are named
 * "<label> score" and "<label> best so far".
 */
export function compareHistoryChart(el, runs, objective) {
  const series = [];
  let lastNumber = 1;
  runs.forEach((run, i) => {
    const color = PALETTE[i % PALETTE.length];
    const complete = run.trials.filter((t) => t.status === 'complete' && t.score !== null);
    if (run.trials.length) lastNumber = Math.max(lastNumber, run.trials[run.trials.length - 1].trial_number);
    series.push({
      id: `data:${run.label} score`, name: `${run.label} score`, type: 'scatter', symbolSize: 8, color,
      data: complete.map((t) => [t.trial_number, t.score]),
    }, {
      id: `data:${run.label} best so far`, name: `${run.label} best so far`, type: 'line', step: 'end', symbol: 'none', color,
      lineStyle: { width: 2.5 },
      data: complete.map((t) => [t.trial_number, t.best_so_far]),
    });
  });
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 30, top: 44, bottom: 44 },
    legend: { top: 4, type: 'scroll' },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `trial ${escapeHtml(p.value[0])}<br>${escapeHtml(p.seriesName)}: ${round4(p.value[1])}` },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 0, max: lastNumber, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: objective || 'score' },
    series,
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/** Score against one hyperparameter: numeric (log axis when the space is log) or categorical. */
export function parameterChart(el, parameter, trials, bestTrial) {
  const complete = trials.filter((t) => t.status === 'complete' && t.score !== null
    && t.params && t.params[parameter.name] !== undefined && t.params[parameter.name] !== null);
  const categorical = parameter.kind === 'categorical';
  const categories = categorical ? [...new Set(complete.map((t) => String(t.params[parameter.name])))].sort() : null;
  const point = (t) => [categorical ? String(t.params[parameter.name]) : t.params[parameter.name], t.score, t.trial_number];
  const xAxis = categorical
    ? { type: 'category', data: categories, name: parameter.name, nameLocation: 'middle', nameGap: 28 }
    : { type: parameter.log ? 'log' : 'value', scale: true, name: parameter.name, nameLocation: 'middle', nameGap: 28 };
  const best = complete.filter((t) => t.trial_number === bestTrial);
  const option = Object.assign(baseOption(), {
    title: { text: parameter.name + (parameter.log ? ' (log)' : ''), left: 'center', top: 4, textStyle: { fontSize: 13, fontWeight: 600, color: TEXT } },
    grid: { left: 56, right: 20, top: 40, bottom: 46 },
    tooltip: {
      trigger: 'item',
      confine: true, // an unconfined item tooltip gets an arrow drawn with an inline style, which the policy refuses
      formatter: (p) => `trial ${escapeHtml(p.value[2])}<br>${escapeHtml(parameter.name)}: ${escapeHtml(p.value[0])}<br>score: ${round4(p.value[1])}`,
    },
    xAxis,
    yAxis: { type: 'value', scale: true },
    series: [
      { id: 'data:score', name: 'score', type: 'scatter', symbolSize: 8, color: COLORS.score, data: complete.map(point) },
      { id: 'data:best', name: 'best', type: 'scatter', symbol: 'diamond', symbolSize: 14, color: COLORS.best, data: best.map(point) },
    ],
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}

/** The colours of a decision's reconciliation marks (.swatch-confirmed ... in dashboard.css). */
const VERDICTS = {
  confirmed: '#16a34a',
  revised: '#c2410c',
  pending: '#6b7280',
};
const REFERENCE_COLOR = '#94a3b8';
const CURRENT_COLOR = '#2563eb';
/** The categorical bucket of production values the reference does not list (DriftReader.OUTSIDE). */
const OUTSIDE = '__outside__';

/** A bin's label from its edges: [lo, hi), the last one closed. */
function binLabel(edges, i) {
  const f = (v) => String(Number(v.toPrecision(4)));
  return `${f(edges[i])}–${f(edges[i + 1])}`;
}

/** Each count's share of their sum (0 when the sum is 0). */
function shares(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? c / total : 0));
}

/**
 * One feature's reference histogram and its newest production window side by side: a bar pair per
 * bin (numeric) or value (categorical), as shares of each side's total since the two hold different
 * numbers of rows; the tooltip gives each side's share and count. A window that cannot be compared
 * with the reference (other edges or kind) is drawn alone on its own buckets. data-points says
 * {reference: bars, current: bars}.
 */
export function histogramChart(el, f) {
  const cur = f.current;
  const together = f.reference && cur && cur.comparable;
  const alone = !f.reference || (cur && !cur.comparable);
  let labels;
  let sides = [];
  if (alone && cur) {
    labels = cur.edges ? cur.counts.map((_, i) => binLabel(cur.edges, i)) : (cur.categories || []);
    sides = [{ id: 'current', name: 'newest window', color: CURRENT_COLOR, counts: cur.counts }];
  } else {
    labels = f.edges ? f.reference.counts.map((_, i) => binLabel(f.edges, i)) : f.categories.slice();
    sides.push({ id: 'reference', name: `reference (${f.reference.origin})`, color: REFERENCE_COLOR, counts: f.reference.counts.slice() });
    if (together) sides.push({ id: 'current', name: 'newest window', color: CURRENT_COLOR, counts: cur.counts.slice() });
    // the outside bucket only when a side has something in it
    const last = labels.length - 1;
    if (!f.edges && labels[last] === OUTSIDE && sides.every((s) => !s.counts[last])) {
      labels.pop();
      sides.forEach((s) => s.counts.pop());
    }
  }
  const series = sides.map((s) => ({
    id: `data:${s.id}`,
    name: s.name,
    type: 'bar',
    color: s.color,
    barGap: '10%',
    data: shares(s.counts),
  }));
  const option = Object.assign(baseOption(), {
    grid: { left: 52, right: 16, top: 36, bottom: 48 },
    legend: { top: 4, type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        if (!list.length) return '';
        const i = list[0].dataIndex;
        return [escapeHtml(labels[i]), ...list.map((p) => {
          const side = sides[p.seriesIndex];
          return `${marker(p.color)}${escapeHtml(p.seriesName)}: <strong>${escapeHtml((p.value * 100).toFixed(1))}%</strong> (${escapeHtml(side.counts[i])})`;
        })].join('<br>');
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 6 ? 30 : 0, fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series,
  });
  return render(el, option, (drawn) => ({ points: JSON.stringify(Object.fromEntries(sides.map((s, i) => [s.id, drawn.series[i].data.length]))) }));
}

/**
 * The per-feature drift scores over time: a line per feature (and segment) of the method the model's
 * drift policies use (or the one asked for), each policy's line for that method dashed in red.
 * data-points says {series name: points}; data-thresholds how many lines.
 */
export function driftScoresChart(el, drift) {
  const series = drift.scores.map((s) => ({
    id: `data:${s.name}`,
    name: s.name,
    type: 'line',
    showSymbol: true,
    symbolSize: 5,
    connectNulls: false,
    emphasis: { focus: 'series' },
    data: s.points.map((p) => [ms(p[0]), p[1], p[2], p[3]]),
  }));
  const lines = drift.watches.filter((w) => w.method === drift.method);
  if (lines.length) series.push({
    id: 'thresholds',
    name: 'policy line',
    type: 'line',
    color: COLORS.threshold,
    data: [],
    markLine: {
      symbol: 'none',
      silent: true,
      data: lines.map((w) => ({
        yAxis: w.line,
        lineStyle: { color: COLORS.threshold, type: 'dashed', width: 1.5 },
        label: { formatter: () => `${w.policy}: ${w.direction} ${w.line}`, position: 'insideEndTop', color: COLORS.threshold, fontSize: 11 },
      })),
    },
  });
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 40, top: 44, bottom: 32 },
    legend: { top: 4, left: 'center', type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const list = (Array.isArray(params) ? params : [params]).filter((p) => Array.isArray(p.value));
        if (!list.length) return '';
        return [escapeHtml(time(new Date(list[0].value[0]).toISOString())), ...list.map((p) =>
          `${marker(p.color)}${escapeHtml(p.seriesName)}: <strong>${round4(p.value[1])}</strong> (${escapeHtml(p.value[2])} rows, ${escapeHtml(p.value[3])})`)]
          .join('<br>');
      },
    },
    xAxis: { type: 'time', min: drift.window.from ? ms(drift.window.from) : null, max: drift.window.to ? ms(drift.window.to) : null },
    yAxis: { type: 'value', scale: true, name: drift.method === 'chi_square' ? 'chi-square p-value' : drift.method.replace('_', '-') },
    dataZoom: [{ type: 'inside' }],
    series,
  });
  return render(el, option, (drawn) => ({
    points: pointsBySeries(drawn, 'data:'),
    thresholds: String(lines.length),
  }));
}

/** A reconciliation mark's tooltip: the policy and its verdict, when, what it observed, the realised value. */
function verdictTooltip(r) {
  return markTooltip(`${r.policy}: ${r.verdict}`, time(r.evaluated_at), r.condition,
    `observed ${round4(r.observed)} (line ${round4(r.threshold)})`,
    r.realised_value === null || r.realised_value === undefined ? 'no realised value for its window yet'
      : `realised ${r.realised_metric} ${round4(r.realised_value)} over ${r.realised_samples} samples (${r.realised_direction} ${r.realised_line} confirms)`);
}

/**
 * The estimated (CBPE, from the prediction histograms) and the realised (labels landed) metric on
 * one time axis, with a vertical mark at each decision taken before labels, coloured by its
 * reconciliation: green confirmed, orange revised, grey pending. data-points says {series: points},
 * data-marks {verdict: marks}.
 */
export function performanceChart(el, drift) {
  const perf = drift.performance;
  const series = [
    {
      id: 'data:estimated', name: `estimated ${perf.metric}`, type: 'line', color: '#7c3aed', symbolSize: 5,
      lineStyle: { type: 'dashed', width: 2 }, data: perf.estimated.map((p) => [ms(p[0]), p[1], p[2]]),
    },
    {
      id: 'data:realised', name: `realised ${perf.metric}`, type: 'line', color: '#0891b2', symbolSize: 5,
      lineStyle: { width: 2 }, data: perf.realised.map((p) => [ms(p[0]), p[1], p[2]]),
    },
  ];
  Object.entries(VERDICTS).forEach(([verdict, color]) => {
    const marks = drift.reconciliations.filter((r) => r.verdict === verdict);
    if (!marks.length) return;
    series.push({
      id: `verdict:${verdict}`,
      name: `decision ${verdict}`,
      type: 'line',
      color,
      data: [],
      markLine: {
        symbol: 'none',
        silent: false,
        tooltip: { confine: true, formatter: (p) => verdictTooltip(marks[p.data.ref]) },
        data: marks.map((r, ref) => ({
          xAxis: ms(r.evaluated_at),
          ref,
          lineStyle: { color, type: 'solid', width: 1.5 },
          label: { formatter: () => verdict, position: 'insideEndTop', color, fontSize: 11 },
        })),
      },
    });
  });
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 40, top: 44, bottom: 32 },
    legend: { top: 4, left: 'center', type: 'scroll' },
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const list = (Array.isArray(params) ? params : [params]).filter((p) => Array.isArray(p.value));
        if (!list.length) return '';
        return [escapeHtml(time(new Date(list[0].value[0]).toISOString())), ...list.map((p) =>
          `${marker(p.color)}${escapeHtml(p.seriesName)}: <strong>${round4(p.value[1])}</strong> (${escapeHtml(p.value[2])} rows)`)].join('<br>');
      },
    },
    xAxis: { type: 'time', min: drift.window.from ? ms(drift.window.from) : null, max: drift.window.to ? ms(drift.window.to) : null },
    yAxis: { type: 'value', scale: true, name: perf.metric },
    dataZoom: [{ type: 'inside' }],
    series,
  });
  return render(el, option, (drawn) => ({
    points: pointsBySeries(drawn, 'data:'),
    marks: JSON.stringify(Object.fromEntries(drawn.series.filter((s) => String(s.id).startsWith('verdict:'))
      .map((s) => [String(s.id).slice('verdict:'.length), s.markLine.data.length]))),
  }));
}

/**
 * Two objectives against each other (the API's `pareto`): every complete trial, the Pareto front
 * (excluded trials left out) joined in order of the first objective, and the trial select chose.
 */
export function paretoChart(el, pareto, trials) {
  const [a, b] = pareto.objectives.map((o) => o.metric);
  const onFront = new Set(pareto.front);
  const value = (t, m) => (t.metrics && typeof t.metrics[m] === 'number' ? t.metrics[m] : null);
  const complete = trials.filter((t) => t.status === 'complete' && value(t, a) !== null && value(t, b) !== null);
  const point = (t) => [value(t, a), value(t, b), t.trial_number];
  const front = complete.filter((t) => onFront.has(t.trial_number)).map(point).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const others = complete.filter((t) => !onFront.has(t.trial_number)).map(point);
  const selected = complete.filter((t) => t.trial_number === pareto.selected).map(point);
  const axis = (o) => ({ type: 'value', scale: true, name: `${o.metric} (${o.direction})`, nameLocation: 'middle', nameGap: 30 });
  const option = Object.assign(baseOption(), {
    grid: { left: 64, right: 24, top: 36, bottom: 52 },
    legend: { top: 4, data: ['trials', 'Pareto front', 'selected'] },
    tooltip: {
      trigger: 'item',
      confine: true, // see parameterChart
      formatter: (p) => `trial ${escapeHtml(p.value[2])}<br>${escapeHtml(a)}: ${round4(p.value[0])}<br>${escapeHtml(b)}: ${round4(p.value[1])}`,
    },
    xAxis: axis(pareto.objectives[0]),
    yAxis: Object.assign(axis(pareto.objectives[1]), { nameGap: 48 }),
    series: [
      { id: 'data:trials', name: 'trials', type: 'scatter', symbolSize: 7, color: COLORS.pruned, data: others },
      { id: 'data:front', name: 'Pareto front', type: 'line', step: false, symbolSize: 9, color: COLORS.score, data: front },
      { id: 'data:selected', name: 'selected', type: 'scatter', symbol: 'diamond', symbolSize: 16, color: COLORS.best, data: selected },
    ],
  });
  return render(el, option, (drawn) => ({ points: pointsBySeries(drawn, 'data:') }));
}
