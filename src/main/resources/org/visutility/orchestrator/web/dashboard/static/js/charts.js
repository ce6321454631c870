// Charts drawn with Apache ECharts (served from the jar at /webjars/echarts/). After each chart has
// rendered, its element carries what it shows, for tests and for anyone reading the DOM:
//   data-points      JSON {series name: number of points drawn}
//   data-thresholds  number of threshold segments (timelines)
//   data-marks       number of firing/resolved marks (timelines)
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
};
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

/** The timeline's tooltip: the time, then each series' value at it. */
function timelineTooltip(params) {
  const list = Array.isArray(params) ? params : [params];
  if (!list.length) return '';
  const rows = list.filter((p) => Array.isArray(p.value))
    .map((p) => `${marker(p.color)}${escapeHtml(p.seriesName)}: <strong>${round4(p.value[1])}</strong>`);
  return [escapeHtml(time(new Date(list[0].axisValue).toISOString())), ...rows].join('<br>');
}

/**
 * One metric's timeline: a line per (version, segment, source) series, each policy's threshold as
 * a dashed step line over the time each policy version was in force, and a vertical mark where a
 * policy went firing (red) or resolved (green).
 */
export function timelineChart(el, metric, window) {
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

  series.push({
    id: 'marks',
    name: 'firing / resolved',
    type: 'line',
    color: COLORS.firing,
    data: [],
    markLine: {
      symbol: 'none',
      silent: false,
      data: metric.marks.map((m) => ({
        name: `${m.policy}: ${m.state}`,
        xAxis: ms(m.evaluated_at),
        lineStyle: { color: COLORS[m.state], type: 'solid', width: 1.5 },
        label: { formatter: m.state, position: 'insideEndTop', color: COLORS[m.state], fontSize: 11 },
      })),
    },
  });

  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 90, top: 44, bottom: 32 },
    legend: { top: 4, left: 'center', type: 'scroll', itemWidth: 18 },
    tooltip: { trigger: 'axis', formatter: timelineTooltip },
    xAxis: { type: 'time', min: window.from ? ms(window.from) : null, max: window.to ? ms(window.to) : null },
    yAxis: { type: 'value', scale: true },
    dataZoom: [{ type: 'inside' }],
    series,
  });
  return render(el, option, (drawn) => ({
    points: pointsBySeries(drawn, 'data:'),
    thresholds: String(metric.thresholds.length),
    marks: String(drawn.series.find((s) => s.id === 'marks').markLine.data.length),
  }));
}

/** The optimisation history: each complete trial's score, and the best score so far as a step line. */
export function historyChart(el, trials, objective) {
  const complete = trials.filter((t) => t.status === 'complete' && t.score !== null);
  const lastNumber = trials.length ? trials[trials.length - 1].trial_number : 0;
  const option = Object.assign(baseOption(), {
    grid: { left: 60, right: 30, top: 44, bottom: 44 },
    legend: { top: 4 },
    tooltip: { trigger: 'item', confine: true, formatter: (p) => `trial ${escapeHtml(p.value[0])}<br>${escapeHtml(p.seriesName)}: ${round4(p.value[1])}` },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 0, max: Math.max(lastNumber, 1), minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: objective || 'score' },
    series: [
      {
        id: 'data:score', name: 'score', type: 'scatter', symbolSize: 9, color: COLORS.score,
        data: complete.map((t) => [t.trial_number, t.score]),
      },
      {
        id: 'data:best so far', name: 'best so far', type: 'line', step: 'end', symbol: 'none', color: COLORS.best,
        lineStyle: { width: 2.5 },
        data: complete.map((t) => [t.trial_number, t.best_so_far]),
      },
    ],
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
