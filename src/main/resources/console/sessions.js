// Sessions: one row per conversation, newest activity first, filtered by customer and status, one page at a time
// (the API's cursor pagination: each page's next_cursor is kept, so Previous goes back without asking twice).

import { badge, fill, h, table, time } from './dom.js';
import { dateTime, field, relativeTime } from './format.js';

export const PAGE_SIZE = 50;
const EVERY_MS = 5000;

// kept across views: back from a conversation, the list is where it was
const state = { customer: '', status: '', page: 0, cursors: [null] };

function customerCell(s) {
  return h('a', { href: `#/sessions/${encodeURIComponent(s.id)}`, 'data-id': s.id },
    s.customer_name ? [h('span', {}, s.customer_name), h('span', { class: 'muted' }, ` <${s.customer}>`)] : s.customer);
}

function subjectCell(s) {
  const count = field(s, 'message_count');
  return h('span', {}, s.subject || h('span', { class: 'muted' }, '(no subject)'),
    count !== null ? h('span', { class: 'muted' }, ` · ${count} message${count === 1 ? '' : 's'}`) : null);
}

function origin(s) {
  return field(s, 'direction', 'origin') === 'OUTBOUND' ? h('span', { class: 'muted' }, ' · agent wrote first') : null;
}

export function mount(el, ctx) {
  const customer = h('input', { id: 'filter-customer', type: 'search', value: state.customer, autocomplete: 'off',
    spellcheck: 'false', placeholder: 'jane@example.com' });
  const status = h('select', { id: 'filter-status' },
    h('option', { value: '' }, 'Open and closed'),
    h('option', { value: 'OPEN' }, 'Open'),
    h('option', { value: 'CLOSED' }, 'Closed'));
  status.value = state.status;
  const list = h('div', { class: 'list-box', 'aria-live': 'off' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Session pages' });
  const error = h('p', { class: 'error-text', role: 'alert', hidden: true });
  let shown = null;
  let marked = false;

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter sessions', onsubmit: (e) => {
    e.preventDefault();
    state.customer = customer.value.trim();
    state.status = status.value;
    state.page = 0;
    state.cursors = [null];
    load();
  } },
  h('div', { class: 'field' }, h('label', { for: 'filter-customer' }, 'Customer address'), customer),
  h('div', { class: 'field' }, h('label', { for: 'filter-status' }, 'Status'), status),
  h('button', { type: 'submit', class: 'primary' }, 'Filter'));

  fill(el, h('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
    h('h1', { id: 'sessions-title' }, 'Sessions'), form, error, list, pager));

  function go(page) {
    state.page = page;
    load().then(() => list.querySelector('a')?.focus());
  }

  function render(rows, pageInfo) {
    const key = JSON.stringify([rows, pageInfo]);
    if (key === shown) return;
    shown = key;
    // the keyboard focus stays on the same session when the list is redrawn
    const focusedId = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-id') : null;
    if (!rows.length) {
      fill(list, h('p', { class: 'muted empty' }, state.customer || state.status
        ? 'No session matches these filters.' : 'No session yet: the first email to a mailbox opens one.'));
    } else {
      // a channel that does not send the subject yet gets no empty Subject column
      const subjects = rows.some((s) => 'subject' in s);
      const columns = ['Customer', ...(subjects ? ['Subject'] : []), 'Status', 'Last activity', 'Mailbox'];
      fill(list, table('Sessions', columns, rows.map((s) => [
        customerCell(s),
        ...(subjects ? [subjectCell(s)] : []),
        h('span', {}, badge(s.status), origin(s)),
        time(s.last_activity_at, relativeTime, dateTime),
        s.mailbox || '',
      ])));
    }
    if (focusedId) list.querySelector(`a[data-id="${CSS.escape(focusedId)}"]`)?.focus();
    const { page, hasNext } = pageInfo;
    fill(pager,
      h('button', { type: 'button', disabled: page === 0, onclick: () => go(page - 1) }, 'Previous'),
      h('span', { class: 'muted' }, `Page ${page + 1}`),
      h('button', { type: 'button', disabled: !hasNext, onclick: () => go(page + 1) }, 'Next'));
    if (!marked) {
      marked = true;
      performance.mark('console:sessions-rendered');
    }
  }

  async function load() {
    try {
      const body = await ctx.api.get('sessions', {
        customer: state.customer, status: state.status, limit: PAGE_SIZE, cursor: state.cursors[state.page],
      });
      error.hidden = true;
      if (body.next_cursor) state.cursors[state.page + 1] = body.next_cursor;
      render(body.sessions || [], { page: state.page, hasNext: Boolean(body.next_cursor) });
    } catch (e) {
      error.textContent = `Sessions cannot be read: ${ctx.failed(e)}`;
      error.hidden = false;
    }
  }

  ctx.poll(load, EVERY_MS);
}
