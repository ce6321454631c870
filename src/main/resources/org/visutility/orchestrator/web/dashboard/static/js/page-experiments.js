// /experiments.html[?model=churn&status=failed] : experiments, newest first.
import { getJson, query } from './api.js';
import { badge, el, empty, fail, frame, num, param, ready, section, table, time } from './ui.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'abandoned'];
const main = frame('experiments', 'Experiments');

function select(name, label, options, current) {
  return el('label', { class: 'filter' }, label,
    el('select', {
      name,
      onchange: (e) => {
        const q = new URLSearchParams(window.location.search);
        if (e.target.value) q.set(name, e.target.value); else q.delete(name);
        window.location.search = q.toString();
      },
    }, el('option', { value: '' }, 'all'), options.map((o) => el('option', { value: o, selected: o === current }, o))));
}

try {
  const filter = { model: param('model'), status: param('status'), limit: param('limit') };
  const [models, list] = await Promise.all([getJson('/api/v1/models?limit=1000'), getJson(`/api/v1/experiments${query(filter)}`)]);
  main.append(el('div', { class: 'page-head' }, el('h1', {}, 'Experiments'),
    el('div', { class: 'filters' },
      select('model', 'Model', models.models.map((m) => m.model), filter.model),
      select('status', 'Status', STATUSES, filter.status))));
  main.append(section(null, list.experiments.length ? table([
    { label: '#', value: (x) => el('a', { href: `/experiment.html?id=${x.experiment_id}`, class: 'strong' }, `#${x.experiment_id}`) },
    { label: 'Model', value: (x) => el('a', { href: `/model.html?name=${encodeURIComponent(x.model)}` }, x.model) },
    { label: 'Status', value: (x) => badge(x.status) },
    { label: 'Trigger', value: (x) => (x.policy ? el('span', {}, x.trigger, el('span', { class: 'muted' }, ` · ${x.policy}`)) : x.trigger) },
    { label: 'Strategy', value: (x) => x.strategy || '—' },
    { label: 'Objective', value: (x) => (x.objective_metric ? `${x.objective_metric} ${x.objective_direction === 'minimize' ? '↓' : '↑'}` : '—'), class: 'nowrap' },
    // ended (complete, failed or pruned) of the budget, as `experiments list` counts them
    { label: 'Trials', value: (x) => (x.budget_trials === null ? String(x.trials_ended) : `${x.trials_ended}/${x.budget_trials}`), class: 'num' },
    { label: 'Best', value: (x) => num(x.best_score), class: 'num' },
    { label: 'Produced', value: (x) => x.produced_version || '—' },
    { label: 'Queued', value: (x) => time(x.queued_at), class: 'nowrap' },
    { label: 'Finished', value: (x) => time(x.finished_at), class: 'nowrap' },
  ], list.experiments, (x) => ({ dataset: { experiment: x.experiment_id } })) : empty('No experiment matches.')));
  ready();
} catch (e) {
  fail(main, e);
}
