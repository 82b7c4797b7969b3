// The connection panel: name, status dot, Start / Stop, the agent and the mailboxes with their pickup state.

import { badge, fill, h, table, time } from './dom.js';
import { dateTime, relativeTime } from './format.js';

/**
 * The status dot with its word (the colour is never the only sign). In ERROR the message shows on hover over the
 * dot or the word, and is part of the text screen readers read.
 */
export function statusIndicator(channel, { compact = false, describedBy = null } = {}) {
  const status = channel.status || 'STOPPED';
  const error = status === 'ERROR' && channel.error ? channel.error : null;
  return h('span', {
    class: `status status-${status.toLowerCase()}`,
    'data-status': status,
    title: error,
    tabindex: error && !compact ? '0' : null,
    'aria-describedby': error ? describedBy : null,
  },
  h('span', { class: 'dot', title: error, 'aria-hidden': 'true' }),
  h('span', { class: 'visually-hidden' }, 'Channel status: '),
  h('span', { class: 'status-label' }, status),
  compact && error ? h('span', { class: 'visually-hidden' }, `: ${error}`) : null);
}

function signInState(label, ok) {
  if (ok === true) return badge(`${label} ok`, 'ok');
  if (ok === false) return badge(`${label} failed`, 'failed');
  return badge(`${label} not checked`, 'unknown');
}

function pickup(mode) {
  if (mode === 'IDLE') return h('span', { title: 'IMAP IDLE: new mail is pushed by the server' }, 'IDLE');
  if (mode === 'POLL') return h('span', { title: 'Polling every check interval' }, 'Polling');
  return h('span', { class: 'muted' }, '—');
}

function owner(box, channel) {
  if (!box.owner) return h('span', { class: 'muted' }, 'nobody');
  return box.owner === channel.instance ? `${box.owner} (this instance)` : box.owner;
}

function mailboxProblem(box) {
  if (!box.error) return h('span', { class: 'muted' }, '—');
  return h('span', { class: 'error-text' }, box.error,
    box.retry_at ? h('span', { class: 'muted' }, ' · next try ', time(box.retry_at, relativeTime, dateTime)) : null);
}

/** The mailboxes table (exported for the browser test that renders the documented API shapes). */
export function mailboxes(channel) {
  const boxes = channel.mailboxes || [];
  if (!boxes.length) return h('p', { class: 'muted' }, 'No mailbox is configured.');
  // the owner column exists once the channel reports instances (scale-out); before that it would only say "—"
  const clustered = 'instance' in channel || boxes.some((b) => 'owner' in b);
  const columns = ['Mailbox', 'Sign-in', 'Last pickup', 'Pickup', ...(clustered ? ['Owner'] : []), 'Problem'];
  return table('Mailboxes', columns, boxes.map((b) => [
    h('span', {}, h('strong', {}, b.address), b.name ? h('span', { class: 'muted' }, ` ${b.name}`) : null,
      b.folder && b.folder !== 'INBOX' ? h('span', { class: 'muted' }, ` · ${b.folder}`) : null),
    h('span', { class: 'badges' }, signInState('IMAP', b.imap_ok), signInState('SMTP', b.smtp_ok)),
    time(b.last_poll, relativeTime, dateTime),
    pickup(b.pickup),
    ...(clustered ? [owner(b, channel)] : []),
    mailboxProblem(b),
  ]));
}

function facts(channel) {
  const rows = [
    ['Inbound', channel.inbound_enabled === false ? 'off (outbound only)' : 'on'],
    ['Inbox check', channel.check_interval ? `every ${channel.check_interval} s` : null],
    ['Agent', channel.agent_url],
    ['Instance', channel.instance],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function mount(el, ctx) {
  let busy = false;
  const startButton = h('button', { type: 'button', class: 'primary', onclick: () => act('start') }, 'Start');
  const stopButton = h('button', { type: 'button', class: 'danger', onclick: () => act('stop') }, 'Stop');
  const title = h('h1', { id: 'connection-title' });
  const description = h('p', { class: 'muted description' });
  const status = h('div', { class: 'status-box' });
  const error = h('p', { id: 'status-error', class: 'error-text', hidden: true });
  const agentError = h('p', { class: 'warning', hidden: true });
  const actionError = h('p', { class: 'error-text', role: 'alert', hidden: true });
  const factList = h('div');
  const boxes = h('div');

  fill(el, h('section', { class: 'panel', 'aria-labelledby': 'connection-title' },
    h('div', { class: 'panel-head' },
      h('div', {}, title, description),
      status,
      h('div', { class: 'actions' }, startButton, stopButton, h('a', { class: 'button', href: '#/logs' }, 'Logs'))),
    error, agentError, actionError, factList,
    h('h2', {}, 'Mailboxes'), boxes));

  let shown = null;

  /** Redraws when the channel's answer or the buttons' state changed (a redraw would move the keyboard focus). */
  function render(channel) {
    if (!channel) return;
    const key = JSON.stringify([channel, busy]);
    if (key === shown) return;
    shown = key;
    title.textContent = channel.name || 'Email channel';
    description.textContent = channel.description || '';
    description.hidden = !channel.description;
    fill(status, statusIndicator(channel, { describedBy: 'status-error' }));
    const showError = channel.status === 'ERROR' && channel.error;
    error.textContent = showError ? channel.error : '';
    error.hidden = !showError;
    agentError.textContent = channel.agent_error ? `The agent is not set up right: ${channel.agent_error}` : '';
    agentError.hidden = !channel.agent_error;
    startButton.disabled = busy || channel.status === 'RUNNING' || channel.status === 'STARTING';
    stopButton.disabled = busy || channel.status === 'STOPPED';
    fill(factList, facts(channel));
    fill(boxes, mailboxes(channel));
    if (!performance.getEntriesByName('console:connection-rendered').length) {
      performance.mark('console:connection-rendered');
    }
  }

  async function act(what) {
    if (what === 'stop') {
      const ok = await ctx.confirm({
        title: 'Stop the channel?',
        text: 'Mail being processed is finished first; then no new mail is picked up until you start the channel '
          + 'again. Replies already queued are still sent.',
        ok: 'Stop channel',
      });
      if (!ok) return;
    }
    busy = true;
    actionError.hidden = true;
    render(ctx.channel());
    try {
      const next = await ctx.api.post(`channel/${what}`);
      busy = false;
      ctx.setChannel(next);
      ctx.announce(`Channel ${next.status.toLowerCase()}.`);
    } catch (e) {
      busy = false;
      actionError.textContent = `${what === 'stop' ? 'Stop' : 'Start'} failed: ${ctx.failed(e)}`;
      actionError.hidden = false;
      render(ctx.channel());
    }
  }

  ctx.onChannel(render);
  render(ctx.channel());
}
