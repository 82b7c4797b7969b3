// Problems: mail that waits or was stopped, in and out, with what an operator can do about it.
// Inbound (GET /api/inbox): pending (the agent did not accept it yet) and parked (failed on its own; Retry).
// Outbound (GET /api/outbox): held by the loop guard (Release, Cancel), failed (Retry, Cancel), pending (Cancel).
// A channel without these calls answers 404: the view says so instead of failing.

import { badge, fill, h, table, time } from './dom.js';
import { dateTime, relativeTime } from './format.js';

const EVERY_MS = 5000;
const LIMIT = 50;

const SECTIONS = [
  { id: 'parked', api: 'inbox', state: 'parked', title: 'Parked',
    help: 'Failed on its own (could not be parsed, or the agent refused it 3 times). Retry puts it back in the queue.',
    actions: [{ name: 'retry', label: 'Retry' }] },
  { id: 'held', api: 'outbox', state: 'held', title: 'Held by the loop guard',
    help: 'Stopped by the mail-loop guard. Release sends them; Cancel drops them.',
    actions: [{ name: 'release', label: 'Release' }, { name: 'cancel', label: 'Cancel', confirm: true }] },
  { id: 'failed', api: 'outbox', state: 'failed', title: 'Failed',
    help: 'The mail server refused them for good. Retry sends them again.',
    actions: [{ name: 'retry', label: 'Retry' }, { name: 'cancel', label: 'Cancel', confirm: true }] },
  { id: 'pending-in', api: 'inbox', state: 'pending', title: 'Waiting for the agent',
    help: 'Retried with backoff for as long as the agent is unavailable.', actions: [] },
  { id: 'pending-out', api: 'outbox', state: 'pending', title: 'Waiting to be sent',
    help: 'Retried with backoff while the mail server is unavailable.',
    actions: [{ name: 'cancel', label: 'Cancel', confirm: true }] },
];

const GROUPS = [
  { api: 'inbox', title: 'Inbound mail' },
  { api: 'outbox', title: 'Outgoing mail' },
];

function columns(section) {
  const who = section.api === 'inbox' ? 'From' : 'To';
  return [who, 'Subject', 'Mailbox', 'Attempts', section.state === 'pending' ? 'Next attempt' : 'Since', 'Last error',
    ...(section.actions.length ? ['Actions'] : [])];
}

export function mount(el, ctx) {
  const body = h('div');
  const unavailable = new Set(); // 'inbox' / 'outbox' when the channel has no such call
  const data = {}; // section id -> {mails, next_cursor, more: []}
  const error = h('p', { class: 'error-text', role: 'alert', hidden: true });
  let shown = null;

  fill(el, h('section', { class: 'panel', 'aria-labelledby': 'problems-title' },
    h('h1', { id: 'problems-title' }, 'Problems'), error, body));

  async function act(section, mail, action) {
    if (action.confirm) {
      const ok = await ctx.confirm({
        title: `${action.label} this mail?`,
        text: `"${mail.subject || '(no subject)'}" to ${mail.to || mail.customer || ''} will not be sent.`,
        ok: `${action.label} mail`,
      });
      if (!ok) return;
    }
    try {
      await ctx.api.post(`${section.api}/${encodeURIComponent(mail.id)}/${action.name}`);
      ctx.announce(`${action.label}: done for "${mail.subject || mail.id}".`);
      error.hidden = true;
    } catch (e) {
      error.textContent = e.status === 409
        ? `${action.label} is no longer possible for this mail: ${e.message}`
        : `${action.label} failed: ${ctx.failed(e)}`;
      error.hidden = false;
    }
    await load(true);
  }

  function row(section, m) {
    const inbound = section.api === 'inbox';
    return [
      inbound ? (m.from || m.customer || '') : (m.to || ''),
      m.session_id ? h('a', { href: `#/sessions/${encodeURIComponent(m.session_id)}` }, m.subject || '(no subject)')
        : (m.subject || '(no subject)'),
      m.mailbox || '',
      String(m.attempts ?? ''),
      section.state === 'pending'
        ? time(m.next_attempt_at, relativeTime, dateTime)
        : time(inbound ? m.received_at : m.created_at, relativeTime, dateTime),
      h('span', { class: 'error-text' }, [m.last_error, m.hold_reason].filter(Boolean).join(' · ')),
      ...(section.actions.length ? [h('span', { class: 'actions' }, section.actions.map((a) => h('button', {
        type: 'button', class: a.name === 'cancel' ? 'danger-outline' : '',
        'aria-label': `${a.label}: ${m.subject || m.id}`,
        onclick: () => act(section, m, a),
      }, a.label)))] : []),
    ];
  }

  function sectionView(section) {
    const title = h('h3', { id: `problems-${section.id}` }, section.title);
    const d = data[section.id];
    if (!d) return h('section', { 'aria-labelledby': title.id, class: 'problem-section' }, title, h('p', { class: 'muted' }, 'Loading…'));
    const mails = d.mails;
    return h('section', { 'aria-labelledby': title.id, class: 'problem-section', 'data-section': section.id },
      h('div', { class: 'section-head' }, title,
        badge(String(mails.length) + (d.next_cursor ? '+' : ''), mails.length ? 'attention' : 'none')),
      h('p', { class: 'help' }, section.help),
      mails.length ? table(`${section.api === 'inbox' ? 'Inbound' : 'Outgoing'} mail: ${section.title}`, columns(section), mails.map((m) => row(section, m)))
        : h('p', { class: 'muted empty' }, 'None.'),
      d.next_cursor ? h('button', { type: 'button', onclick: () => more(section) }, 'Show more') : null);
  }

  function render() {
    const key = JSON.stringify([data, [...unavailable]]);
    if (key === shown) return;
    shown = key;
    const focused = document.activeElement && body.contains(document.activeElement)
      ? document.activeElement.getAttribute('aria-label') : null;
    fill(body, GROUPS.map((group) => {
      const title = h('h2', { id: `problems-${group.api}` }, group.title);
      if (unavailable.has(group.api)) {
        return h('section', { 'aria-labelledby': title.id }, title,
          h('p', { class: 'muted' }, `This channel does not list its ${group.api} yet (GET /api/${group.api} answered `
            + '404): update the channel to see and act on these mails here.'));
      }
      return h('section', { 'aria-labelledby': title.id }, title,
        SECTIONS.filter((s) => s.api === group.api).map(sectionView));
    }));
    if (focused) [...body.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === focused)?.focus();
  }

  async function fetchSection(section, cursor) {
    return ctx.api.get(section.api, { state: section.state, limit: LIMIT, cursor });
  }

  async function more(section) {
    const d = data[section.id];
    try {
      const next = await fetchSection(section, d.next_cursor);
      // kept as shown (not refreshed every few seconds) until an action or a new visit reloads the first page
      data[section.id] = { mails: [...d.mails, ...(next.mails || [])], next_cursor: next.next_cursor || null,
        expanded: true };
      render();
    } catch (e) {
      error.textContent = `More mail cannot be read: ${ctx.failed(e)}`;
      error.hidden = false;
    }
  }

  async function load(all = false) {
    await Promise.all(SECTIONS.map(async (section) => {
      if (unavailable.has(section.api)) return;
      if (!all && data[section.id] && data[section.id].expanded) return;
      try {
        const answer = await fetchSection(section, null);
        data[section.id] = { mails: answer.mails || [], next_cursor: answer.next_cursor || null };
      } catch (e) {
        if (e.status === 404) unavailable.add(section.api);
        else throw e;
      }
    })).then(() => { error.hidden = true; }, (e) => {
      error.textContent = `Problems cannot be read: ${ctx.failed(e)}`;
      error.hidden = false;
    });
    render();
  }

  ctx.poll(() => load(false), EVERY_MS);
}
