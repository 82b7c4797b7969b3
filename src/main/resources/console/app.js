// The console: sign-in, the views, live updates. Every view gets a small context (ctx) with the API client, the
// latest channel status, a poller that stops when the view is left, and the confirmation dialog.

import { createApi } from './api.js';
import { fill, refreshTimes } from './dom.js';
import { relativeTime, route, tokenFromFragment } from './format.js';
import * as connection from './connection.js';
import * as sessions from './sessions.js';
import * as conversation from './conversation.js';
import * as logs from './logs.js';
import * as problems from './problems.js';

const TOKEN_KEY = 'email-channel-console.token';
const CHANNEL_EVERY_MS = 3000;
const TITLES = { connection: 'Connection', sessions: 'Sessions', logs: 'Logs', problems: 'Problems' };

const $ = (id) => document.getElementById(id);

let api = null;
let channel = null;
let stopChannelPolling = null;
let mounted = null; // { cleanups: [] } of the view on screen
const channelListeners = new Set();

/** Calls fn now (or after ms) and then every ms while the tab is visible, until the returned function is called. */
function poll(fn, ms, immediate = true) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        await fn();
      } catch (e) {
        failed(e);
      }
    }
    if (!stopped) timer = setTimeout(run, ms);
  };
  if (immediate) run();
  else timer = setTimeout(run, ms);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** What every failed call shares: a refused token signs out, an unreachable channel shows a banner. */
function failed(e) {
  if (e && e.status === 401) {
    if (api) signOut('The channel refused the token (401): it may have been changed. Sign in again.');
  } else if (e && e.status === 0) {
    showBanner('The channel cannot be reached. Retrying…');
  }
  return e && e.message ? e.message : String(e);
}

function showBanner(text) {
  const banner = $('banner');
  if (!text) {
    banner.hidden = true;
    banner.textContent = '';
  } else if (banner.textContent !== text) {
    banner.textContent = text;
    banner.hidden = false;
  }
}

function announce(text) {
  // cleared first so that the same message twice is announced twice
  $('announce').textContent = '';
  setTimeout(() => { $('announce').textContent = text; }, 50);
}

function setChannel(next) {
  channel = next;
  showBanner('');
  $('top-name').textContent = next.name ? `· ${next.name}` : '';
  fill($('top-status'), connection.statusIndicator(next, { compact: true }));
  channelListeners.forEach((fn) => fn(next));
}

function confirm({ title, text, ok }) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = ok;
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener('close', onClose);
      resolve(dialog.returnValue === 'ok');
    };
    dialog.returnValue = '';
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    // the safe choice has the focus: Enter on an unexpected dialog does nothing harmful
    $('confirm-cancel').focus();
  });
}

function context() {
  const cleanups = [];
  mounted = { cleanups };
  return {
    api,
    channel: () => channel,
    setChannel,
    onChannel(fn) {
      channelListeners.add(fn);
      cleanups.push(() => channelListeners.delete(fn));
    },
    poll(fn, ms) {
      cleanups.push(poll(fn, ms));
    },
    onCleanup(fn) {
      cleanups.push(fn);
    },
    confirm,
    announce,
    failed,
  };
}

function unmount() {
  if (mounted) mounted.cleanups.forEach((fn) => fn());
  mounted = null;
  fill($('view'));
}

function render(focus) {
  unmount();
  const { view, id } = route(location.hash);
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${TITLES[view]} · Email channel console`;
  const el = $('view');
  const ctx = context();
  if (view === 'sessions' && id) conversation.mount(el, ctx, id);
  else if (view === 'sessions') sessions.mount(el, ctx);
  else if (view === 'logs') logs.mount(el, ctx);
  else if (view === 'problems') problems.mount(el, ctx);
  else connection.mount(el, ctx);
  if (focus) $('main').focus();
}

function showSignIn(message) {
  $('sign-in').hidden = false;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  const error = $('sign-in-error');
  error.textContent = message || '';
  error.hidden = !message;
  $('token').setAttribute('aria-invalid', message ? 'true' : 'false');
  $('token').focus();
}

function showApp() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  const client = api;
  stopChannelPolling = poll(async () => {
    const next = await client.get('channel');
    // an answer that arrives after signing out is not shown
    if (api === client) setChannel(next);
  }, CHANNEL_EVERY_MS, channel === null);
  render(false);
}

/** A token typed into the form: checked against GET /api/channel first, kept for this tab only when accepted. */
async function signIn(token) {
  const candidate = createApi(token, document.baseURI);
  try {
    const first = await candidate.get('channel');
    sessionStorage.setItem(TOKEN_KEY, token);
    api = candidate;
    setChannel(first);
    showApp();
  } catch (e) {
    if (e.status === 401) {
      showSignIn('The channel refused this token (401). Check CHANNEL_API_TOKEN.');
    } else {
      showSignIn(`Cannot sign in: ${e.message}`);
    }
  }
}

/**
 * A token the tab already holds (or got in the fragment): the console opens at once and asks for the channel and
 * the view's data together; a refused token signs out with the first answer.
 */
function resume(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  api = createApi(token, document.baseURI);
  showApp();
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  api = null;
  channel = null;
  if (stopChannelPolling) stopChannelPolling();
  stopChannelPolling = null;
  unmount();
  fill($('top-status'));
  $('top-name').textContent = '';
  showBanner('');
  showSignIn(message);
}

function boot() {
  // a token in the fragment (#token=…, for bookmarks and automation) is taken and removed from the address bar
  // at once; the fragment never reaches the server
  const fromFragment = tokenFromFragment(location.hash);
  if (/(^#|&)token=/.test(location.hash)) {
    history.replaceState(null, '', `${location.pathname}${location.search}#/connection`);
  }
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('token');
    const token = input.value.trim();
    input.value = '';
    if (!token) {
      showSignIn('Enter the API token.');
      return;
    }
    signIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut('Signed out.'));
  $('confirm-cancel').addEventListener('click', () => $('confirm').close('cancel'));
  $('confirm-ok').addEventListener('click', () => $('confirm').close('ok'));
  window.addEventListener('hashchange', () => {
    if (api) render(true);
  });
  setInterval(() => refreshTimes(document, relativeTime), 1000);
  const token = fromFragment || sessionStorage.getItem(TOKEN_KEY);
  if (token) resume(token);
  else showSignIn('');
}

boot();
