// /experiment.html?id=1 : what triggered the experiment, its outcome (and, when the API gives them,
// the retrain's verified outcome and the challenger gate's verdict), the optimisation history, the
// score against each hyperparameter, the trials per node that ran them, and every trial.
import { getJson, query } from './api.js';
import { badge, duration, el, empty, fail, frame, num, param, ready, section, table, time } from './ui.js';
import { curvesChart, historyChart, importanceChart, nodesChart, parameterChart, paretoChart } from './charts.js';

const id = param('id');
const main = frame('experiments', `Experiment ${id || ''}`);

function facts(rows) {
  return el('dl', { class: 'facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function paramValue(v) {
  if (v === null || v === undefined) return '—';
  return typeof v === 'number' ? num(v, 6) : String(v);
}

/** A score with its version: "v3 · 0.9123", or what is missing. */
function scored(version, score, missing) {
  if (!version) return missing;
  return el('span', {}, el('strong', {}, version), ' · ', score === null || score === undefined ? 'not scored' : num(score));
}

/** The no_worse checks: "recall: 0.84 (active 0.83) ok" per metric. */
function noWorse(checks) {
  if (!checks || typeof checks !== 'object' || !Object.keys(checks).length) return null;
  return el('ul', { class: 'conditions' }, Object.entries(checks).map(([metric, c]) => el('li', { dataset: { noWorse: metric } },
    el('code', {}, metric), `: ${num(c && c.candidate)} (active ${num(c && c.active)}) `, badge(c && c.ok ? 'ok' : 'worse'))));
}

/**
 * The challenger gate's verdict on the candidate this experiment registered (the API's `gate`,
 * see docs/dashboard.md): approved or rejected, why, and both scores on the gate's metric.
 */
function gateSection(g) {
  const bothScored = typeof g.candidate_score === 'number' && typeof g.active_score === 'number';
  const gain = bothScored ? (g.direction === 'minimize' ? g.active_score - g.candidate_score : g.candidate_score - g.active_score) : null;
  const card = section('Challenger gate', facts([
    ['Verdict', badge(g.verdict)],
    ['Reason', g.reason],
    ['Metric', g.metric ? `${g.metric} (${g.direction || 'maximize'})` : 'no gate in the spec'],
    ['Candidate', scored(g.candidate_version, g.candidate_score, '—')],
    ['Active', scored(g.active_version, g.active_score, 'none was active')],
    ['Gain', gain !== null ? num(gain) : null],
    ['Minimum gain', g.min_gain !== null && g.min_gain !== undefined ? num(g.min_gain) : null],
    ['No worse on', noWorse(g.no_worse)],
    ['Evaluator', g.evaluator || null],
    ['Decided', g.decided_at ? time(g.decided_at) : null],
  ]));
  Object.assign(card.dataset, { section: 'gate', verdict: g.verdict });
  return card;
}

/**
 * Whether the retrain helped (the API's `outcome`): recovered, not_recovered, inconclusive or
 * pending, the production metric before and after, and why.
 */
function retrainOutcome(o) {
  const result = o.outcome || 'pending';
  const known = (v) => v !== null && v !== undefined;
  const metric = o.metric
    ? `${o.metric}: ${num(o.baseline)} before${known(o.observed) ? ` → ${num(o.observed)} after` : ''}${known(o.threshold) ? ` (threshold ${num(o.threshold)})` : ''}`
    : null;
  return el('span', { class: 'stack', dataset: { outcome: result } },
    el('span', {}, badge(result), result === 'pending' && o.deadline ? el('span', { class: 'muted' }, ` until ${time(o.deadline)} at the latest`) : null),
    metric ? el('span', {}, metric, known(o.sample_count) ? el('span', { class: 'muted' }, ` · ${o.sample_count} samples`) : null) : null,
    o.reason ? el('span', { class: 'muted' }, o.reason) : null,
    o.decided_at ? el('span', { class: 'muted small' }, `decided ${time(o.decided_at)}`) : null);
}

try {
  if (!id) throw new Error('no experiment given: open this page from the experiments list');
  const data = await getJson(`/api/v1/experiments/${encodeURIComponent(id)}${query({ trials: param('trials') })}`);
  const x = data.experiment;
  // the gate's verdict and the retrain's outcome come with the experiment once recorded; absent, their parts are hidden
  const gate = data.gate || x.gate || null;
  const outcome = data.outcome || x.outcome || null;
  const pareto = data.pareto || null;
  const objective = pareto
    ? pareto.objectives.map((o) => `${o.metric} (${o.direction})`).join(' · ')
      + (pareto.select ? ` · select best ${pareto.select.metric}${pareto.select.constraint ? ` where ${pareto.select.constraint}` : ''}` : '')
    : x.objective_metric ? `${x.objective_metric} (${x.objective_direction || 'maximize'})` : null;

  main.append(el('div', { class: 'page-head' },
    el('h1', {}, `Experiment #${x.experiment_id}`), badge(x.status),
    el('a', { href: `/model.html?name=${encodeURIComponent(x.model)}`, class: 'chip chip-strong' }, x.model)));

  if (x.status === 'failed') {
    main.append(el('div', { class: 'error-box' }, el('strong', {}, 'Failed: '), x.error || 'no reason recorded',
      x.restart_command
        ? el('div', { class: 'restart' }, 'Restart it with ', el('code', { class: 'command' }, x.restart_command))
        : el('div', { class: 'restart' }, 'Its job execution was abandoned: it cannot be restarted.')));
  }

  main.append(el('div', { class: 'columns' },
    section('Outcome', facts([
      ['Objective', objective],
      ['Strategy', x.strategy],
      ['Trials', `${x.trials_total} recorded · ${x.trials_complete} complete · ${x.trials_failed} failed · ${x.trials_pruned} pruned`],
      ['Best score', x.best_score !== null ? `${num(x.best_score)} (trial ${x.best_trial_number})` : null],
      ['Best parameters', x.best_params ? el('code', {}, JSON.stringify(x.best_params)) : null],
      ['Produced', x.produced_version ? el('span', {}, `${x.produced_version} `, badge(x.produced_version_status)) : null],
      ['Retrain outcome', outcome ? retrainOutcome(outcome) : null],
      ['Queued', time(x.queued_at)],
      ['Started', x.started_at ? time(x.started_at) : null],
      ['Finished', x.finished_at ? time(x.finished_at) : null],
      ['Run time', x.run_seconds !== null ? duration(x.run_seconds) : null],
      ['Attempts', String(x.attempt)],
    ])),
    section('Trigger', facts([
      ['Trigger', x.trigger],
      ['Policy', x.policy ? `${x.policy} v${x.policy_version}` : null],
      ['Decided', x.decided_at ? time(x.decided_at) : null],
      ['Condition', x.decision_condition ? el('code', {}, x.decision_condition) : null],
      ['Observed', x.decision_observed !== null ? num(x.decision_observed) : null],
      ['Threshold', x.decision_threshold !== null ? num(x.decision_threshold) : null],
      ['Evidence', x.evaluation_id ? `${x.evidence_snapshots} snapshots (evaluation ${x.evaluation_id})` : null],
      ['Budget', x.budget ? el('code', {}, JSON.stringify(x.budget)) : null],
      ['Spec SHA-256', el('code', { class: 'small' }, x.spec_sha256.slice(0, 16) + '…')],
    ]))));

  if (gate) main.append(gateSection(gate));

  // other experiments of the same model, to compare with this one side by side
  const siblings = (await getJson(`/api/v1/experiments${query({ model: x.model, limit: 20 })}`)).experiments
    .filter((o) => o.experiment_id !== x.experiment_id);
  if (siblings.length) {
    main.append(el('p', { class: 'compare-with muted small' }, `Compare with another experiment of ${x.model}: `,
      siblings.map((o) => [el('a', { href: `/compare.html?a=${x.experiment_id}&b=${o.experiment_id}`, dataset: { compare: o.experiment_id } },
        `#${o.experiment_id}`), ' '])));
  }

  const trials = data.trials;
  const rendering = [];
  const history = section('Optimisation history');
  main.append(history);
  if (trials.some((t) => t.status === 'complete')) {
    const box = el('div', { class: 'chart chart-history', dataset: { chart: 'history' } });
    history.append(box);
    rendering.push(historyChart(box, trials, x.objective_metric, data.reports.curves));
  } else {
    history.append(empty('No complete trial yet.'));
  }

  if (pareto) {
    // several objectives: the front (and, for two, the trials against both objectives)
    const card = section(`Pareto front (${pareto.front.length} trial${pareto.front.length === 1 ? '' : 's'})`,
      el('p', { class: 'muted small' }, pareto.selected !== null
        ? `Trial ${pareto.selected} was selected: the best ${pareto.select.metric} on the front`
          + `${pareto.select.constraint ? ` among those meeting ${pareto.select.constraint}` : ''}.`
        : 'No trial selected (yet): the experiment runs, or no front member met the constraint.'));
    card.dataset.section = 'pareto';
    main.append(card);
    if (pareto.objectives.length === 2 && pareto.front.length) {
      const box = el('div', { class: 'chart chart-history', dataset: { chart: 'pareto' } });
      card.append(box);
      rendering.push(paretoChart(box, pareto, trials));
    }
  }

  const curves = data.reports.curves;
  if (curves.length) {
    const statusOf = new Map(trials.map((t) => [t.trial_number, t.status]));
    const box = el('div', { class: 'chart chart-curves', dataset: { chart: 'curves' } });
    main.append(section(`Learning curves (${data.reports.metric} at each step reported)${data.reports.truncated ? ' · truncated' : ''}`,
      el('p', { class: 'muted small' }, 'One line per trial; pruned trials dashed and grey.'), box));
    rendering.push(curvesChart(box, curves, (n) => statusOf.get(n), data.reports.metric));
  }

  const importance = data.importance;
  if (importance && importance.parameters.some((p) => p.importance !== null)) {
    const box = el('div', { class: 'chart chart-importance', dataset: { chart: 'importance' } });
    main.append(section('Parameter importance',
      el('p', { class: 'muted small' }, `A simple estimate over ${importance.trials} complete trials: the absolute rank correlation`
        + ' (Spearman) of each parameter with the score, summing to 1. Not fANOVA: one parameter at a time, no interactions.'), box));
    rendering.push(importanceChart(box, importance));
  }

  if (data.parameters.length && trials.some((t) => t.status === 'complete')) {
    const grid = el('div', { class: 'chart-grid' });
    main.append(section(`Score${x.objective_metric ? ` (${x.objective_metric})` : ''} against each parameter`, grid));
    data.parameters.forEach((p) => {
      const box = el('div', { class: 'chart chart-parameter', dataset: { chart: `parameter:${p.name}` } });
      grid.append(box);
      rendering.push(parameterChart(box, p, trials, x.best_trial_number));
    });
  }

  // where the trials ran (orchestrator.trial.worker): one node, or several when the experiment's trials went across the cluster
  const nodes = data.trials_per_node || [];
  if (nodes.length) {
    const card = section(`Trials per node (${nodes.length} node${nodes.length === 1 ? '' : 's'})`,
      el('p', { class: 'muted small' }, 'The node that ran each trial (its last attempt; a running trial under the node running it now).'
        + ' Trial time sums the finished trials\' durations there.'),
      table([
        { label: 'Node', value: (n) => el('code', {}, n.node) },
        { label: 'Trials', value: (n) => String(n.trials), class: 'num' },
        { label: 'Complete', value: (n) => String(n.complete), class: 'num' },
        { label: 'Failed', value: (n) => String(n.failed), class: 'num' },
        { label: 'Pruned', value: (n) => String(n.pruned), class: 'num' },
        { label: 'Running', value: (n) => String(n.running), class: 'num' },
        { label: 'Trial time', value: (n) => duration(n.trial_seconds), class: 'num' },
      ], nodes, (n) => ({ dataset: { node: n.node } })));
    card.dataset.section = 'nodes';
    main.append(card);
    if (nodes.length > 1) {
      // drawn once in the page, where the chart has its width
      const box = el('div', { class: 'chart chart-nodes', dataset: { chart: 'nodes' } });
      card.append(box);
      rendering.push(nodesChart(box, nodes));
    }
  }

  main.append(section(`Trials${data.trials_truncated ? ` · first ${trials.length}` : ''}`, trials.length ? table([
    { label: '#', value: (t) => String(t.trial_number), class: 'num' },
    { label: 'Status', value: (t) => badge(t.status) },
    { label: 'Score', value: (t) => num(t.score), class: 'num' },
    { label: 'Best so far', value: (t) => num(t.best_so_far), class: 'num' },
    ...data.parameters.map((p) => ({ label: p.name, value: (t) => paramValue(t.params ? t.params[p.name] : null), class: 'num' })),
    { label: 'Duration', value: (t) => duration(t.duration_seconds), class: 'num' },
    { label: 'Attempt', value: (t) => String(t.attempt), class: 'num' },
    { label: 'Worker', value: (t) => t.worker || '—' },
    { label: 'Error', value: (t) => (t.error ? el('span', { class: 'error-text' }, t.error) : '') },
  ], trials, (t) => ({ class: t.trial_number === x.best_trial_number ? 'best' : '', dataset: { trial: t.trial_number } }))
    : empty('No trial recorded yet.')));

  await Promise.all(rendering);
  ready();
} catch (e) {
  fail(main, e);
}
