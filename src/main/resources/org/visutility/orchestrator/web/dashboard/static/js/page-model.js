// /model.html?name=churn : the model's versions and policies, one timeline chart per metric with its
// thresholds, firing/resolved marks, the versions' active periods and their approvals, rejections
// and rollbacks, the table of the policies' state changes and the version history; and, for a model
// whose production histograms are watched, the drift section (driftSection).
import { getJson, query } from './api.js';
import { badge, el, empty, fail, frame, num, param, ready, section, table, time } from './ui.js';
import { driftScoresChart, histogramChart, performanceChart, timelineChart } from './charts.js';

const name = param('name');
const main = frame('models', name || 'Model');

function policyCard(p) {
  return el('div', { class: 'policy', dataset: { policy: p.policy } },
    el('div', { class: 'policy-head' }, p.state ? badge(p.state) : el('span', { class: 'badge' }, 'not evaluated'), el('strong', {}, p.policy),
      el('span', { class: 'muted' }, ` v${p.policy_version}`), p.enabled ? null : el('span', { class: 'badge badge-disabled' }, 'disabled')),
    p.conditions.length
      ? el('ul', { class: 'conditions' }, p.conditions.map((c) => el('li', {}, el('code', {}, c.description))))
      : el('p', { class: 'muted' }, 'no threshold the dashboard can draw'),
    el('p', { class: 'muted small' }, p.since ? `${p.state} since ${time(p.since)}` : 'not evaluated yet',
      p.last_observed !== null && p.last_observed !== undefined ? ` · last observed ${num(p.last_observed)}` : ''));
}

/** What the version bands and markers on the charts mean, with swatches in their colours (classes: no inline style). */
function versionLegend() {
  const item = (kind, text) => el('span', { class: 'legend-item' }, el('span', { class: `swatch swatch-${kind}` }), text);
  return el('p', { class: 'legend-note muted small', dataset: { legend: 'versions' } },
    item('band', 'shaded: the version active then (its label at the top left)'),
    item('approval', 'approved'), item('rejection', 'rejected'), item('rollback', 'rollback (an operator restored a retired version)'),
    'The tooltip names the version active at the pointer and the changes near it, with who and why.');
}

/** A status change as "from → to"; a version's registration has no from. */
function change(e) {
  return el('span', { class: 'nowrap' }, e.from_status ? [badge(e.from_status), ' → '] : 'registered as ', badge(e.to_status));
}

/** A feature's verdict from the latest drift decision: drifting, steady, or not judged yet. */
function featureBadge(f) {
  if (f.drifting === true) return badge('drifting');
  if (f.drifting === false) return badge('steady');
  return el('span', { class: 'badge' }, 'not judged');
}

/** What the reconciliation marks mean, with swatches in their colours. */
function verdictLegend() {
  const item = (verdict, text) => el('span', { class: 'legend-item' }, el('span', { class: `swatch swatch-${verdict}` }), text);
  return el('p', { class: 'legend-note muted small', dataset: { legend: 'verdicts' } },
    'A vertical line marks each decision taken before labels: ',
    item('confirmed', 'confirmed (the realised metric breached too)'), item('revised', 'revised (it did not)'),
    item('pending', 'pending (no realised value for its window yet)'));
}

/**
 * Drift before labels: each watched feature's reference and newest production histogram side by
 * side (drifting features first), the per-feature drift scores over time, the estimated against the
 * realised metric with each decision's reconciliation, and the table of those decisions. The section
 * joins the page before its charts start: a chart begun on a detached element has no size and draws nothing.
 */
function driftSection(drift) {
  const box = section(`Drift before labels · ${drift.method.replace('_', '-')}`);
  main.append(box);
  const rendering = [];
  if (drift.features.length) {
    box.append(el('h3', {}, 'Reference and newest window', drift.features_truncated
      ? el('span', { class: 'muted small' }, ` · the first ${drift.features.length} features`) : null));
    const grid = el('div', { class: 'chart-grid' });
    box.append(grid);
    drift.features.forEach((f) => {
      const chart = el('div', { class: 'chart chart-histogram', dataset: { chart: `histogram:${f.feature}` } });
      const psi = f.scores.psi === null ? '' : ` · PSI ${num(f.scores.psi)}`;
      const note = f.current && !f.current.comparable ? ' · not comparable with the reference' : (f.current ? '' : ' · no production window yet');
    const ending = f.current ? ` · window ending ${time(f.current.observed_at)}` : '';
      grid.append(el('div', { dataset: { feature: f.feature } },
        el('div', { class: 'histogram-head' }, el('strong', {}, f.feature), featureBadge(f),
          el('span', { class: 'muted small' }, `${f.version || ''}${psi}${ending}${note}`)), chart));
      rendering.push(histogramChart(chart, f));
    });
  }
  if (drift.scores.length) {
    const chart = el('div', { class: 'chart chart-drift', dataset: { chart: 'drift-scores' } });
    box.append(el('h3', {}, `Drift scores per feature (${drift.method.replace('_', '-')})`), chart);
    rendering.push(driftScoresChart(chart, drift));
  }
  const perf = drift.performance;
  if (perf.estimated.length || perf.realised.length || drift.reconciliations.length) {
    const chart = el('div', { class: 'chart chart-performance', dataset: { chart: 'performance' } });
    box.append(el('h3', {}, `Estimated and realised ${perf.metric}`), verdictLegend(), chart);
    rendering.push(performanceChart(chart, drift));
  }
  if (drift.reconciliations.length) {
    box.append(table([
      { label: 'Decided', value: (r) => time(r.evaluated_at), class: 'nowrap' },
      { label: 'Policy', value: (r) => `${r.policy} v${r.policy_version}` },
      { label: 'Condition', value: (r) => el('code', {}, r.condition || '—') },
      { label: 'Observed', value: (r) => num(r.observed), class: 'num' },
      { label: 'Verdict', value: (r) => badge(r.verdict) },
      { label: 'Realised', value: (r) => (r.realised_value === null ? '—' : `${r.realised_metric} ${num(r.realised_value)}`), class: 'num' },
      { label: 'Samples', value: (r) => num(r.realised_samples), class: 'num' },
      { label: 'Experiment', value: (r) => (r.experiment_id ? el('a', { href: `/experiment.html?id=${r.experiment_id}` }, `#${r.experiment_id}`) : '—') },
    ], [...drift.reconciliations].reverse(), (r) => ({ dataset: { reconciliation: r.evaluation_id, verdict: r.verdict } })));
  }
  return { rendering };
}

try {
  if (!name) throw new Error('no model given: open this page from the models list');
  const range = { from: param('from'), to: param('to'), points: param('points') };
  const [model, timelines, versions, drift] = await Promise.all([
    getJson(`/api/v1/models/${encodeURIComponent(name)}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/timelines${query(range)}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/versions/events${query({ from: range.from, to: range.to })}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/drift${query({ from: range.from, to: range.to, method: param('method') })}`),
  ]);

  main.append(el('div', { class: 'page-head' },
    el('h1', {}, model.model),
    model.active_version ? el('span', { class: 'chip chip-strong' }, `serving ${model.active_version}`) : null,
    el('span', { class: 'muted' }, model.description || '')));

  main.append(el('div', { class: 'columns' },
    section('Policies', model.policies.length ? el('div', { class: 'policies' }, model.policies.map(policyCard)) : empty('No policy watches this model.')),
    section('Versions', table([
      { label: 'Version', value: (v) => el('strong', {}, v.version) },
      { label: 'Status', value: (v) => badge(v.status) },
      { label: 'Source', value: (v) => (v.experiment_id
        ? el('a', { href: `/experiment.html?id=${v.experiment_id}` }, `experiment #${v.experiment_id}`) : v.source) },
      { label: 'Artifact', value: (v) => (v.artifact_uri ? el('code', { class: 'artifact' }, v.artifact_uri) : '—') },
      { label: 'Registered', value: (v) => time(v.created_at), class: 'nowrap' },
    ], model.versions, (v) => ({ dataset: { version: v.version } })))));

  const charts = section(`Metric timelines${timelines.window.from ? ` · ${time(timelines.window.from)} – ${time(timelines.window.to)}` : ''}`);
  main.append(charts);
  if (!timelines.metrics.length) charts.append(empty('No snapshot of this model yet.'));
  else charts.append(versionLegend());
  const rendering = timelines.metrics.map((m) => {
    const box = el('div', { class: 'chart chart-timeline', dataset: { chart: `timeline:${m.metric}` } });
    charts.append(el('h3', {}, m.metric, m.truncated ? el('span', { class: 'muted small' }, ` · newest ${timelines.points_per_metric} points`) : null), box);
    return timelineChart(box, m, timelines.window, versions);
  });

  const watched = drift.features.length || drift.scores.length || drift.performance.estimated.length || drift.reconciliations.length;
  if (watched) {
    rendering.push(...driftSection(drift).rendering);
  }

  main.append(section('Firing and resolved', timelines.state_changes.length ? table([
    { label: 'When', value: (c) => time(c.evaluated_at), class: 'nowrap' },
    { label: 'Policy', value: (c) => `${c.policy} v${c.policy_version}` },
    { label: 'Change', value: (c) => el('span', {}, badge(c.from_state), ' → ', badge(c.state)) },
    { label: 'Condition', value: (c) => el('code', {}, c.condition || '—') },
    { label: 'Observed', value: (c) => num(c.observed), class: 'num' },
    { label: 'Threshold', value: (c) => num(c.threshold), class: 'num' },
    { label: 'Experiment', value: (c) => (c.experiment_id ? el('a', { href: `/experiment.html?id=${c.experiment_id}` }, `#${c.experiment_id}`) : '—') },
  ], [...timelines.state_changes].reverse(), (c) => ({ dataset: { state: c.state } })) : empty('No policy went firing or resolved in this window.')));

  main.append(section(`Version history${versions.events_truncated ? ` · newest ${versions.events.length}` : ''}`,
    versions.events.length ? table([
      { label: 'Version', value: (e) => el('strong', {}, e.version) },
      { label: 'From → to', value: change },
      { label: 'When', value: (e) => time(e.at), class: 'nowrap' },
      { label: 'Who', value: (e) => el('code', {}, e.actor) },
      { label: 'Why', value: (e) => e.reason },
    ], versions.events, (e) => ({ dataset: { versionEvent: e.event_id, kind: e.kind } }))
      : empty('No version of this model has changed status in this window.')));

  await Promise.all(rendering);
  ready();
} catch (e) {
  fail(main, e);
}
