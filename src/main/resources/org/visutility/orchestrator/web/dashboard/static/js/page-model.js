// /model.html?name=churn : the model's versions and policies, one timeline chart per metric with its
// thresholds, firing/resolved marks, the versions' active periods and their approvals, rejections
// and rollbacks, the table of the policies' state changes and the version history.
import { getJson, query } from './api.js';
import { badge, el, empty, fail, frame, num, param, ready, section, table, time } from './ui.js';
import { timelineChart } from './charts.js';

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

try {
  if (!name) throw new Error('no model given: open this page from the models list');
  const range = { from: param('from'), to: param('to'), points: param('points') };
  const [model, timelines, versions] = await Promise.all([
    getJson(`/api/v1/models/${encodeURIComponent(name)}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/timelines${query(range)}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/versions/events${query({ from: range.from, to: range.to })}`),
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
