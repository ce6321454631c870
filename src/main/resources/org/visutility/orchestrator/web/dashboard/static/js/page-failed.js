// /failed.html : failed experiments, why they failed, and the command that restarts each.
import { getJson } from './api.js';
import { el, empty, fail, frame, ready, time } from './ui.js';

const main = frame('failed', 'Failed runs');

function copyButton(text) {
  return el('button', {
    type: 'button',
    class: 'copy',
    onclick: async (e) => {
      try {
        await navigator.clipboard.writeText(text);
        e.target.textContent = 'copied';
      } catch (err) {
        // no clipboard outside a secure context: select the command instead
        const range = document.createRange();
        range.selectNodeContents(e.target.previousElementSibling);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
      }
    },
  }, 'copy');
}

function run(r) {
  return el('article', { class: 'card failed-run', dataset: { experiment: r.experiment_id } },
    el('div', { class: 'failed-head' },
      el('h2', {}, el('a', { href: `/experiment.html?id=${r.experiment_id}` }, `Experiment #${r.experiment_id}`)),
      el('a', { href: `/model.html?name=${encodeURIComponent(r.model)}`, class: 'chip chip-strong' }, r.model),
      el('span', { class: 'muted' }, `${r.trigger}${r.policy ? ` · ${r.policy}` : ''} · failed ${time(r.finished_at)} · attempt ${r.attempt} · ${r.trials_failed} of ${r.trials_total} trials failed`)),
    el('pre', { class: 'error-text' }, r.error || 'no reason recorded'),
    r.last_failed_trial_error
      ? el('p', { class: 'small' }, el('span', { class: 'muted' }, `last failed trial (#${r.last_failed_trial}): `), el('code', {}, r.last_failed_trial_error))
      : null,
    restart(r));
}

// the command that works for this run: plain ops restart resumes a job that did not complete; a run
// that failed by its own rules (its job completed, e.g. max_failed) needs --retry-failed
function restart(r) {
  if (!r.restart_command) {
    return el('div', { class: 'restart' }, el('span', { class: 'muted' }, 'Its job execution was abandoned: it cannot be restarted.'));
  }
  const retry = r.restart_command.endsWith('--retry-failed');
  return el('div', { class: 'restart' },
    el('span', { class: 'muted' }, retry ? 'Once the cause is fixed, retry its failed trials: ' : 'Restart: '),
    el('code', { class: 'command' }, r.restart_command), copyButton(r.restart_command));
}

try {
  const data = await getJson('/api/v1/failed-runs');
  main.append(el('h1', {}, 'Failed runs'));
  main.append(el('p', { class: 'muted' }, 'Experiments that failed, newest first. Restarting one resumes after its last committed trial;'
    + ' one that failed by its own rules (max_failed, no trial completed) runs its failed trials again and continues to its budget.'));
  if (!data.failed_runs.length) main.append(el('section', { class: 'card' }, empty('Nothing failed.')));
  data.failed_runs.forEach((r) => main.append(run(r)));
  ready();
} catch (e) {
  fail(main, e);
}
