// Building the page from data safely: text goes in as textContent only, never as markup, so a VM
// name (it comes from vCenter and may contain anything) is always shown as the characters it is.

/** An element with attributes (plain strings; "class", "dataset" and "on<event>" handled) and children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export const $ = (id) => document.getElementById(id);

/** A progress bar of a percentage; its state (running, done, failed) colours it. */
export function bar(percent, state = 'running') {
  const fill = el('span', { class: 'bar-fill' });
  const text = el('span', { class: 'bar-text' });
  const element = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill, text);
  setBar(element, percent, state);
  return element;
}

export function setBar(element, percent, state) {
  const value = Math.max(0, Math.min(100, Number(percent) || 0));
  element.setAttribute('aria-valuenow', String(value));
  element.dataset.percent = String(Math.round(value));
  element.classList.toggle('done', state === 'done');
  element.classList.toggle('failed', state === 'failed');
  element.querySelector('.bar-fill').style.width = value + '%';
  element.querySelector('.bar-text').textContent = value.toFixed(value >= 100 || value === 0 ? 0 : 1) + ' %';
}

export function status(text) {
  return el('span', { class: 'status ' + String(text || '').replace(/[^a-z_]/g, '') }, text || '—');
}
