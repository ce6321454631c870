// / : every model with its serving version, newest snapshot and policy states, and the headline counts.
import { getJson } from './api.js';
import { badge, el, fail, frame, num, ready, section, table, time, empty } from './ui.js';

const main = frame('models', 'Models');

function tile(label, value, href, alarm) {
  return el('a', { class: `tile${alarm ? ' tile-alarm' : ''}`, href, dataset: { tile: label } },
    el('span', { class: 'tile-value' }, String(value)), el('span', { class: 'tile-label' }, label));
}

function latestMetrics(m) {
  if (!m.latest_metrics) return '—';
  return el('span', { class: 'chips' }, Object.entries(m.latest_metrics).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => el('span', { class: 'chip' }, el('span', { class: 'chip-key' }, k), num(v))));
}

function policyStates(m) {
  if (!m.policy_states.length) return el('span', { class: 'muted' }, 'no policy');
  return el('span', { class: 'stack' }, m.policy_states.map((p) =>
    el('span', { class: 'policy-state' }, badge(p.state), ' ', p.policy)));
}

try {
  const [overview, list] = await Promise.all([getJson('/api/v1/overview'), getJson('/api/v1/models')]);
  main.append(el('h1', {}, 'Models'));
  main.append(el('div', { class: 'tiles' },
    tile('models', overview.models, '/'),
    tile('policies firing', overview.policies_firing, '/', overview.policies_firing > 0),
    tile('open experiments', overview.experiments_open, '/experiments.html'),
    tile('failed runs', overview.experiments_failed, '/failed.html', overview.experiments_failed > 0)));
  main.append(section(null, list.models.length === 0 ? empty('No model yet: models appear with their first snapshot.') : table([
    { label: 'Model', value: (m) => el('a', { href: `/model.html?name=${encodeURIComponent(m.model)}`, class: 'strong' }, m.model) },
    { label: 'Serving', value: (m) => m.active_version || '—' },
    { label: 'Versions', value: (m) => String(m.versions), class: 'num' },
    { label: 'Last snapshot', value: (m) => time(m.last_observed_at), class: 'nowrap' },
    { label: 'Latest metrics', value: latestMetrics },
    { label: 'Policies', value: policyStates },
    { label: 'Open', value: (m) => String(m.open_experiments), class: 'num' },
    { label: 'Failed', value: (m) => (m.failed_experiments ? el('a', { href: '/failed.html', class: 'alarm' }, String(m.failed_experiments)) : '0'), class: 'num' },
    { label: 'Last retrain', value: (m) => time(m.last_retrain_at), class: 'nowrap' },
  ], list.models, (m) => ({ dataset: { model: m.model } }))));
  ready();
} catch (e) {
  fail(main, e);
}
