// Small DOM helpers shared by the pages. Text always goes in as text (never as HTML), so names and
// error messages from the database cannot inject markup. The one place that must build HTML, a
// chart's tooltip, escapes every value with escapeHtml.

const PAGES = [
  { id: 'models', href: '/', label: 'Models' },
  { id: 'experiments', href: '/experiments.html', label: 'Experiments' },
  { id: 'failed', href: '/failed.html', label: 'Failed runs' },
];

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Any value as HTML text: what it says is shown, never parsed as markup. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** el('a', {href: '/', class: 'x'}, 'text', child, ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === undefined || v === null || v === false) return;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  });
  children.flat(Infinity).forEach((c) => {
    if (c === undefined || c === null || c === false) return;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  });
  return node;
}

/** The page frame: the top bar with the navigation, and the main column the page fills. */
export function frame(activePage, title) {
  document.title = `${title} · VisuTility Orchestrator`;
  const nav = el('nav', {}, PAGES.map((p) =>
    el('a', { href: p.href, class: p.id === activePage ? 'active' : '' }, p.label)));
  const header = el('header', { class: 'topbar' },
    el('a', { class: 'brand', href: '/' }, el('span', { class: 'logo' }, 'V'), 'VisuTility Orchestrator'),
    nav);
  const main = el('main', {});
  document.body.replaceChildren(header, main);
  return main;
}

/** 2026-11-20T04:00:00Z -> "2026-11-20 04:00 UTC" (the dashboard shows every time in UTC). */
export function time(iso) {
  if (!iso) return '—';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function num(value, digits = 4) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(digits)));
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** A coloured label for a state or status (firing, resolved, failed, succeeded, ...). */
export function badge(state) {
  return el('span', { class: `badge badge-${state || 'none'}` }, state || 'none');
}

export function section(title, ...children) {
  return el('section', { class: 'card' }, title ? el('h2', {}, title) : null, ...children);
}

/** A table from column definitions [{label, value: row => text|Node, class}] and rows. */
export function table(columns, rows, rowAttrs = () => ({})) {
  return el('div', { class: 'table-wrap' }, el('table', {},
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class }, c.label)))),
    el('tbody', {}, rows.map((r) => el('tr', rowAttrs(r), columns.map((c) => el('td', { class: c.class }, c.value(r))))))));
}

export function empty(text) {
  return el('p', { class: 'empty' }, text);
}

/** Tells tests and humans the page is complete: every chart rendered. */
export function ready() {
  document.body.dataset.ready = 'true';
}

/** Shows why the page could not load, and marks it for tests. */
export function fail(main, error) {
  main.append(el('div', { class: 'error-box', role: 'alert' }, String(error.message || error)));
  document.body.dataset.error = String(error.message || error);
}

export function param(name) {
  return new URLSearchParams(window.location.search).get(name);
}
