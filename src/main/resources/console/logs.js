// Logs: the channel's recent lines (secrets are masked by the channel), filtered by level, mailbox and text; in
// follow mode the newest lines keep coming and the view stays at the bottom.

import { fill, h } from './dom.js';
import { filterLogLines } from './format.js';

const LINES = 500;
const FOLLOW_EVERY_MS = 2000;

// kept across views
const state = { level: '', mailbox: '', text: '', follow: true };

export function mount(el, ctx) {
  const level = h('select', { id: 'log-level' },
    h('option', { value: '' }, 'All levels'),
    h('option', { value: 'INFO' }, 'Info and above'),
    h('option', { value: 'WARN' }, 'Warnings and errors'),
    h('option', { value: 'ERROR' }, 'Errors only'));
  level.value = state.level;
  const mailbox = h('select', { id: 'log-mailbox' }, h('option', { value: '' }, 'All mailboxes'));
  const text = h('input', { id: 'log-text', type: 'search', value: state.text, autocomplete: 'off', spellcheck: 'false' });
  const follow = h('input', { id: 'log-follow', type: 'checkbox', checked: state.follow });
  const count = h('p', { class: 'muted', id: 'log-count' });
  const box = h('ol', { class: 'log', tabindex: '0', 'aria-label': 'Log lines, oldest first', 'aria-describedby': 'log-count' });
  const error = h('p', { class: 'error-text', role: 'alert', hidden: true });
  let lines = [];
  let shown = null;
  let stopFollowing = null;

  function mailboxes() {
    const addresses = ((ctx.channel() || {}).mailboxes || []).map((b) => b.address);
    const current = mailbox.value || state.mailbox;
    fill(mailbox, h('option', { value: '' }, 'All mailboxes'), addresses.map((a) => h('option', { value: a }, a)));
    mailbox.value = addresses.includes(current) ? current : '';
  }

  function render() {
    const visible = filterLogLines(lines, state);
    const key = JSON.stringify([visible.length, visible.length ? visible[visible.length - 1].raw : '', state]);
    if (key === shown) return;
    shown = key;
    const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    fill(box, visible.map((l) => h('li', { class: `level-${(l.level || 'none').toLowerCase()}` },
      l.time ? h('span', { class: 'log-time' }, l.time) : null,
      l.level ? h('span', { class: 'log-level' }, l.level) : null,
      h('span', { class: 'log-text' }, l.text))));
    count.textContent = `${visible.length} of ${lines.length} recent lines`;
    if (state.follow || atBottom) box.scrollTop = box.scrollHeight;
  }

  async function load() {
    try {
      const body = await ctx.api.get('channel/logs', { lines: LINES });
      lines = body.lines || [];
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = `The logs cannot be read: ${ctx.failed(e)}`;
      error.hidden = false;
    }
  }

  function setFollow(on) {
    state.follow = on;
    if (stopFollowing) stopFollowing();
    stopFollowing = null;
    if (on) {
      // a poller of its own, so that switching follow off stops the calls
      let timer = null;
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        if (!document.hidden) await load();
        if (!stopped) timer = setTimeout(tick, FOLLOW_EVERY_MS);
      };
      tick();
      stopFollowing = () => { stopped = true; clearTimeout(timer); };
    }
  }

  const refresh = h('button', { type: 'button', onclick: load }, 'Refresh');
  const changed = () => {
    state.level = level.value;
    state.mailbox = mailbox.value;
    state.text = text.value;
    render();
  };
  level.addEventListener('change', changed);
  mailbox.addEventListener('change', changed);
  text.addEventListener('input', changed);
  follow.addEventListener('change', () => setFollow(follow.checked));

  fill(el, h('section', { class: 'panel', 'aria-labelledby': 'logs-title' },
    h('h1', { id: 'logs-title' }, 'Logs'),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'log-level' }, 'Level'), level),
      h('div', { class: 'field' }, h('label', { for: 'log-mailbox' }, 'Mailbox'), mailbox),
      h('div', { class: 'field' }, h('label', { for: 'log-text' }, 'Contains'), text),
      h('div', { class: 'field check' }, follow, h('label', { for: 'log-follow' }, 'Follow')),
      refresh),
    error, count, box));

  mailboxes();
  ctx.onChannel(mailboxes);
  ctx.onCleanup(() => { if (stopFollowing) stopFollowing(); });
  if (state.follow) setFollow(true);
  else load();
}
