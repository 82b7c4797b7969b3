// Building the page: elements from plain values, text always as text (mail subjects and bodies are written by
// strangers: nothing they send is ever parsed as HTML).

/**
 * h('button', {class: 'primary', onclick: fn, disabled: true}, 'Start') -> <button class="primary" disabled>Start</button>
 * Attribute values true/false add or leave out a boolean attribute; null and undefined are left out; keys starting
 * with "on" add an event listener. Children: strings, numbers, nodes, arrays of them; null and false are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value') {
      el.value = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A <time> showing "3 min ago" with the exact local time on hover; '—' without a time. */
export function time(iso, relativeTime, dateTime) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso, title: dateTime(iso) }, relativeTime(iso));
}

/** Moves every "3 min ago" of the page on (called each second: the answers behind them come less often). */
export function refreshTimes(root, relativeTime) {
  for (const t of root.querySelectorAll('time[datetime]')) {
    const text = relativeTime(t.getAttribute('datetime'));
    if (t.textContent !== text) t.textContent = text;
  }
}

/** A small labelled state ("SENT", "FAILED", …): the colour follows the word, the word is always there. */
export function badge(text, kind = String(text || '').toLowerCase()) {
  return h('span', { class: `badge badge-${kind}` }, text);
}

/** A table that turns into one card per row on a narrow screen (each cell repeats its column name). */
export function table(caption, columns, rows) {
  return h('table', { class: 'list' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, i) => h('td', { 'data-label': columns[i] }, cell))))));
}
