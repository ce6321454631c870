// /compare.html?a=1&b=3 : two experiments of the same model side by side: their outcomes, their
// optimisation histories on one chart, and their parameters' importance.
import { getJson } from './api.js';
import { badge, duration, el, fail, frame, num, param, ready, section, table } from './ui.js';
import { compareHistoryChart } from './charts.js';

const ids = [param('a'), param('b')];
const main = frame('experiments', 'Compare experiments');

/** The trials ended (complete, failed or pruned) of the budget, as `experiments list` counts them. */
function progress(x) {
  const ended = x.trials_complete + x.trials_failed + x.trials_pruned;
  const budget = x.budget && typeof x.budget.trials === 'number' ? x.budget.trials : null;
  return `${ended}${budget === null ? '' : `/${budget}`} ended · ${x.trials_complete} complete · ${x.trials_failed} failed · ${x.trials_pruned} pruned`;
}

const ROWS = [
  ['Status', (x) => badge(x.status)],
  ['Trigger', (x) => (x.policy ? `${x.trigger} · ${x.policy}` : x.trigger)],
  ['Strategy', (x) => x.strategy || '—'],
  ['Objective', (x) => (x.objective_metric ? `${x.objective_metric} (${x.objective_direction})` : '—')],
  ['Trials', progress],
  ['Best score', (x) => (x.best_score === null ? '—' : `${num(x.best_score)} (trial ${x.best_trial_number})`)],
  ['Best parameters', (x) => (x.best_params ? el('code', { class: 'small' }, JSON.stringify(x.best_params)) : '—')],
  ['Search space', (x) => (x.space ? el('code', { class: 'small' }, JSON.stringify(x.space)) : '—')],
  ['Produced', (x) => x.produced_version || '—'],
  ['Run time', (x) => duration(x.run_seconds)],
];

try {
  if (!ids[0] || !ids[1]) throw new Error('two experiments are needed: /compare.html?a=1&b=2');
  const runs = await Promise.all(ids.map((id) => getJson(`/api/v1/experiments/${encodeURIComponent(id)}`)));
  const [a, b] = runs.map((r) => r.experiment);
  if (a.model !== b.model) {
    throw new Error(`experiments #${a.experiment_id} and #${b.experiment_id} are of different models (${a.model}, ${b.model}): compare two experiments of the same model`);
  }
  const label = (x) => `#${x.experiment_id}`;
  main.append(el('div', { class: 'page-head' }, el('h1', {}, `${label(a)} and ${label(b)}`),
    el('a', { class: 'chip', href: `/model.html?name=${encodeURIComponent(a.model)}` }, a.model)));

  main.append(section(null, table([
    { label: '', value: (r) => el('strong', {}, r[0]) },
    ...[a, b].map((x) => ({ label: label(x), value: (r) => r[1](x) })),
  ], ROWS, (r) => ({ dataset: { fact: r[0] } }))));
  main.querySelectorAll('th').forEach((th, i) => {
    if (i > 0) th.replaceChildren(el('a', { href: `/experiment.html?id=${[a, b][i - 1].experiment_id}` }, th.textContent));
  });

  const rendering = [];
  const history = section('Optimisation histories');
  const box = el('div', { class: 'chart chart-history', dataset: { chart: 'compare-history' } });
  history.append(box);
  main.append(history);
  const objective = a.objective_metric === b.objective_metric ? a.objective_metric : null;
  rendering.push(compareHistoryChart(box, runs.map((r) => ({ label: label(r.experiment), trials: r.trials })), objective));

  const names = [...new Set(runs.flatMap((r) => r.importance.parameters.map((p) => p.name)))].sort();
  const importanceOf = (r, name) => {
    const p = r.importance.parameters.find((q) => q.name === name);
    return p && p.importance !== null ? num(p.importance, 3) : '—';
  };
  main.append(section('Parameter importance (simple estimate, see the experiment page)', table([
    { label: 'Parameter', value: (n) => el('code', {}, n) },
    ...runs.map((r) => ({ label: label(r.experiment), value: (n) => importanceOf(r, n), class: 'num' })),
  ], names, (n) => ({ dataset: { parameter: n } }))));

  await Promise.all(rendering);
  ready();
} catch (e) {
  fail(main, e);
}
