// One session as a conversation: every message in order, both directions, the text the agent got, attachments
// (and why a file was skipped), the delivery state of each outgoing mail, the headers on demand; close the session.

import { badge, fill, h } from './dom.js';
import { address, bytes, dateTime, field, relativeTime, skippedReason } from './format.js';

const EVERY_MS = 5000;

function attachments(message) {
  const files = message.attachments || [];
  if (!files.length) return null;
  return h('ul', { class: 'files', 'aria-label': 'Attachments' }, files.map((f) => {
    const skipped = field(f, 'skipped', 'skipped_reason');
    return h('li', { class: skipped ? 'skipped' : '' },
      h('span', { class: 'file-name' }, f.filename || '(no name)'),
      h('span', { class: 'muted' }, ` ${[f.content_type, bytes(f.size)].filter(Boolean).join(', ')}`),
      skipped ? h('span', { class: 'badge badge-skipped' }, `Skipped: ${skippedReason(skipped)}`) : null);
  }));
}

function delivery(message) {
  const d = message.delivery;
  if (!d || !d.status) return message.direction === 'OUT' ? h('p', { class: 'delivery muted' }, 'Delivery: unknown') : null;
  return h('p', { class: 'delivery' }, 'Delivery: ', badge(d.status),
    d.attempts ? h('span', { class: 'muted' }, ` after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`) : null,
    d.last_error ? h('span', { class: 'error-text' }, ` · ${d.last_error}`) : null);
}

function headers(message) {
  const rows = [
    ['Message-ID', message.message_id],
    ['In-Reply-To', message.in_reply_to],
    ['References', message.references],
    ['From', address(message.from)],
    ['Reply-To', address(message.reply_to)],
    ['To', address(message.to)],
    ['Subject', message.subject],
    ['Mailbox', message.mailbox],
    ['Auto-reply', field(message, 'auto_reply_reason')],
  ].filter(([, v]) => v);
  return h('details', { class: 'headers' }, h('summary', {}, 'Headers'),
    h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

/** One message (exported for the browser test that renders the documented API shapes). */
export function messageView(m, session) {
  const inbound = m.direction === 'IN';
  const at = field(m, 'at', 'created_at');
  const who = inbound ? address(m.from) || session.customer : `${m.mailbox || 'channel'} to ${address(m.to) || session.customer}`;
  const text = m.text || '';
  return h('li', { class: `message ${inbound ? 'in' : 'out'}` },
    h('article', { 'aria-label': `${inbound ? 'From the customer' : 'To the customer'}, ${dateTime(at)}` },
      h('header', {},
        h('span', { class: 'direction' }, inbound ? 'Customer' : 'Agent reply'),
        h('span', { class: 'who' }, who),
        at ? h('time', { datetime: at, title: dateTime(at) }, relativeTime(at)) : null),
      m.subject ? h('p', { class: 'subject' }, m.subject) : null,
      m.auto_reply ? h('p', { class: 'warning' }, `Auto-reply, not sent to the agent${field(m, 'auto_reply_reason') ? `: ${m.auto_reply_reason}` : ''}`) : null,
      inbound && !m.auto_reply ? h('p', { class: 'label' }, 'Text the agent got') : null,
      h('div', { class: 'text' }, text || h('span', { class: 'muted' }, inbound ? '(nothing new written)' : '(no text)')),
      attachments(m),
      inbound ? null : delivery(m),
      headers(m)));
}

export function mount(el, ctx, id) {
  const head = h('div', { class: 'panel-head' });
  const list = h('ol', { class: 'conversation', 'aria-label': 'Messages, oldest first' });
  const error = h('p', { class: 'error-text', role: 'alert', hidden: true });
  let session = null;
  let shown = null;
  let busy = false;

  fill(el, h('section', { class: 'panel', 'aria-labelledby': 'conversation-title' },
    h('p', {}, h('a', { href: '#/sessions' }, '← All sessions')), head, error, list));

  async function close() {
    const ok = await ctx.confirm({
      title: 'Close this session?',
      text: 'The customer\'s next email then opens a new session.',
      ok: 'Close session',
    });
    if (!ok) return;
    busy = true;
    render();
    try {
      await ctx.api.post(`sessions/${encodeURIComponent(id)}/close`);
      ctx.announce('Session closed.');
    } catch (e) {
      error.textContent = `The session cannot be closed: ${ctx.failed(e)}`;
      error.hidden = false;
    }
    busy = false;
    await load();
  }

  function render() {
    const key = JSON.stringify([session, busy]);
    if (key === shown) return;
    shown = key;
    const s = session;
    const title = s.customer_name ? `${s.customer_name} <${s.customer}>` : s.customer;
    fill(head,
      h('div', {},
        h('h1', { id: 'conversation-title' }, title),
        h('p', { class: 'muted' }, [
          s.mailbox ? `Mailbox ${s.mailbox}` : null,
          s.opened_at ? `opened ${dateTime(s.opened_at)}` : null,
          s.closed_at ? `closed ${dateTime(s.closed_at)}` : null,
        ].filter(Boolean).join(' · '))),
      h('div', { class: 'status-box' }, badge(s.status)),
      h('div', { class: 'actions' }, s.status === 'OPEN'
        ? h('button', { type: 'button', class: 'danger', disabled: busy, onclick: close }, 'Close session') : null));
    const messages = s.messages || [];
    // headers someone opened stay open when a delivery state changes
    const open = [...list.querySelectorAll('details')].map((d) => d.open);
    fill(list, messages.length ? messages.map((m) => messageView(m, s))
      : h('li', { class: 'muted' }, 'No message in this session.'));
    list.querySelectorAll('details').forEach((d, i) => { d.open = Boolean(open[i]); });
  }

  async function load() {
    try {
      session = await ctx.api.get(`sessions/${encodeURIComponent(id)}`);
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = e.status === 404 ? 'There is no such session.' : `The session cannot be read: ${ctx.failed(e)}`;
      error.hidden = false;
    }
  }

  ctx.poll(load, EVERY_MS);
}
