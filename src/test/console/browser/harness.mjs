// What the browser tests share: Debian's Chromium driven by playwright-core (never a downloaded browser), a record
// of every request the page makes, and the checks that the API token never leaks into the page or a URL.

import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags for a sandbox without network: no Google services, no background calls, no QUIC, no sandbox as root. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync'];

/** A required environment variable (the JUnit side sets them). */
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through ConsoleBrowserIT (mvn -B verify)`);
  return value;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A browser context whose requests are all recorded ({url, method, headers}), and whose CSP violations and page
 * errors are collected: the page must run under its own strict Content-Security-Policy without a single one.
 */
export async function recordedContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), headers: r.headers() }));
  context.on('page', (page) => watch(page, problems));
  return { context, requests, problems };
}

function watch(page, problems) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
}

/** The page's status as the top bar shows it (data-status of the indicator). */
export async function waitForStatus(page, status, timeout = 60_000) {
  await page.locator(`#top-status [data-status="${status}"]`).waitFor({ timeout });
}

export async function signInWithForm(page, url, token) {
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Everything of the page a script or a screen reader could read: markup, form values, title, address. */
export async function pageText(page) {
  return page.evaluate(() => [
    document.documentElement.outerHTML,
    document.title,
    location.href,
    ...[...document.querySelectorAll('input, select, textarea')].map((e) => e.value),
  ].join('\n'));
}

export async function assertTokenNotInPage(page, token) {
  const text = await pageText(page);
  assert.ok(!text.includes(token), 'the API token is in the page (DOM, a form value, the title or the address)');
}

/**
 * Every request: the token never in a URL, only in the Authorization header of calls to the channel's /api, and
 * nothing sent to another origin.
 */
export function assertRequestsClean(requests, token, origin) {
  assert.ok(requests.length > 0, 'no request was recorded');
  for (const r of requests) {
    const url = new URL(r.url);
    assert.ok(!r.url.includes(token) && !decodeURIComponent(r.url).includes(token), `token in the URL of ${r.method} ${r.url}`);
    assert.equal(url.origin, origin, `request to another origin: ${r.url}`);
    const auth = r.headers.authorization;
    if (url.pathname.startsWith('/api/')) {
      assert.equal(auth, `Bearer ${token}`, `${r.method} ${url.pathname} without the Bearer header`);
    } else {
      assert.equal(auth, undefined, `${r.method} ${url.pathname} carries an Authorization header`);
    }
  }
}

/** GET an API path from the test itself (to decide skips, or to seed data), with the token in the header. */
export async function apiGet(base, token, path) {
  const response = await fetch(new URL(`../api/${path}`, base), { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? await response.json() : null };
}

export async function apiPost(base, token, path, body) {
  const response = await fetch(new URL(`../api/${path}`, base), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
