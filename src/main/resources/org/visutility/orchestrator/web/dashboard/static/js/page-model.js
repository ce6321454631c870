// /model.html?name=churn : the model's versions and policies, one timeline chart per metric with its
// thresholds and firing/resolved marks, and the table of those state changes.
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

try {
  if (!name) throw new Error('no model given: open this page from the models list');
  const range = { from: param('from'), to: param('to'), points: param('points') };
  const [model, timelines] = await Promise.all([
    getJson(`/api/v1/models/${encodeURIComponent(name)}`),
    getJson(`/api/v1/models/${encodeURIComponent(name)}/timelines${query(range)}`),
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
      { label: 'Registered', value: (v) => time(v.created_at), class: 'nowrap' },
    ], model.versions))));

  const charts = section(`Metric timelines${timelines.window.from ? ` · ${time(timelines.window.from)} – ${time(timelines.window.to)}` : ''}`);
  main.append(charts);
  if (!timelines.metrics.length) charts.append(empty('No snapshot of this model yet.'));
  const rendering = timelines.metrics.map((m) => {
    const box = el('div', { class: 'chart chart-timeline', dataset: { chart: `timeline:${m.metric}` } });
    charts.append(el('h3', {}, m.metric, m.truncated ? el('span', { class: 'muted small' }, ` · newest ${timelines.points_per_metric} points`) : null), box);
    return timelineChart(box, m, timelines.window);
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

  await Promise.all(rendering);
  ready();
} catch (e) {
  fail(main, e);
}
