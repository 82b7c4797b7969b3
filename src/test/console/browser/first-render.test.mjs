// How fast the console shows up with 1,000 sessions: seeds the sessions through the API (one campaign of outbound
// emails, which opens one session per participant), then opens the console in fresh tabs and reads the browser's
// own marks (milliseconds since the navigation started). The figures are printed, not asserted: a shared 2-core
// machine gives no stable timing; what is asserted is that the list is paginated.

import assert from 'node:assert/strict';
import { cpus, loadavg } from 'node:os';
import { after, before, test } from 'node:test';
import { apiGet, apiPost, env, launch, recordedContext } from './harness.mjs';

const URL_ = env('CONSOLE_URL');
const TOKEN = env('CONSOLE_TOKEN');
const SESSIONS = Number(process.env.CONSOLE_BENCH_SESSIONS || 1000);
const RUNS = Number(process.env.CONSOLE_BENCH_RUNS || 5);

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** All sessions, page after page where the API pages (next_cursor), else the whole list at once. */
async function sessionCount() {
  let count = 0;
  let cursor = null;
  do {
    const answer = await apiGet(URL_, TOKEN, `sessions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(answer.status, 200);
    count += answer.body.sessions.length;
    cursor = answer.body.next_cursor || null;
  } while (cursor);
  return count;
}

/**
 * Waits until the campaign's mails are sent (the outbox sends oldest first: the last participant's mail is the last
 * one), so that the figure is the console's and not that of a machine busy sending 1,000 emails.
 */
async function awaitSent(address) {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const list = await apiGet(URL_, TOKEN, `sessions?customer=${encodeURIComponent(address)}`);
    const id = list.body?.sessions?.[0]?.id;
    if (id) {
      const session = await apiGet(URL_, TOKEN, `sessions/${encodeURIComponent(id)}`);
      const out = (session.body?.messages || []).find((m) => m.direction === 'OUT');
      if (out?.delivery?.status === 'SENT') return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`the campaign mail to ${address} was not sent within 5 minutes`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

test(`first render with ${SESSIONS} sessions`, { timeout: 600_000 }, async () => {
  const existing = await sessionCount();
  if (existing < SESSIONS) {
    const participants = Array.from({ length: SESSIONS - existing }, (_, i) => ({
      address: `customer-${String(i).padStart(4, '0')}@bench.example.com`,
      vars: { first_name: `Customer ${i}` },
    }));
    const queued = await apiPost(URL_, TOKEN, 'campaigns', {
      subject: 'Your order, {{ first_name }}', text: 'Hello {{ first_name }}, your order has shipped.', participants,
    });
    assert.ok(queued.status >= 200 && queued.status < 300, `campaign refused: ${queued.status} ${JSON.stringify(queued.body)}`);
    await awaitSent(participants.at(-1).address);
  }
  const total = await sessionCount();
  assert.ok(total >= SESSIONS, `${total} sessions`);

  // the call the sessions view makes
  const started = Date.now();
  const list = await fetch(new URL('../api/sessions?limit=50', URL_), { headers: { Authorization: `Bearer ${TOKEN}` } });
  const listBytes = (await list.arrayBuffer()).byteLength;
  const listMs = Date.now() - started;

  const sessionsView = [];
  const sessionsAnswer = [];
  const connectionView = [];
  for (let run = 0; run < RUNS; run++) {
    // a new tab each time: nothing cached, signed in as a tab that already holds the token
    const { context } = await recordedContext(browser);
    await context.addInitScript((token) => sessionStorage.setItem('email-channel-console.token', token), TOKEN);
    const page = await context.newPage();
    await page.goto(`${URL_}#/sessions`);
    await page.locator('table.list tbody tr').first().waitFor({ timeout: 30_000 });
    sessionsView.push(await page.evaluate(() => performance.getEntriesByName('console:sessions-rendered')[0].startTime));
    // how much of it is the API's answer: when the page had the list in hand
    sessionsAnswer.push(await page.evaluate(() => performance.getEntriesByType('resource')
      .find((e) => e.name.includes('/api/sessions')).responseEnd));
    const rows = await page.locator('table.list tbody tr').count();
    assert.equal(rows, 50, 'one page of 50 sessions');
    assert.match(await page.locator('.pager').innerText(), /Page 1( of \d+)?/);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('.pager', { hasText: 'Page 2' }).waitFor({ timeout: 10_000 });

    const second = await context.newPage();
    await second.goto(`${URL_}#/connection`);
    await second.locator('.status-box [data-status]').waitFor({ timeout: 30_000 });
    connectionView.push(await second.evaluate(() => performance.getEntriesByName('console:connection-rendered')[0].startTime));
    await context.close();
  }
  const ms = (v) => `${Math.round(v)} ms`;
  // "first render:" marks the lines ConsoleBrowserIT keeps in target/console-first-render.txt
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`first render: ${total} sessions, ${RUNS} fresh tabs each, headless Chromium, ${cpus().length} cores, load average ${load}`);
  console.log(`first render: sessions view (first page of 50 on screen) median ${ms(median(sessionsView))}, max ${ms(Math.max(...sessionsView))}; the list answer was in by ${ms(median(sessionsAnswer))}`);
  console.log(`first render: connection view (status and mailboxes) median ${ms(median(connectionView))}, max ${ms(Math.max(...connectionView))}`);
  console.log(`first render: GET /api/sessions?limit=50 (the view's call) ${(listBytes / 1024).toFixed(0)} kB in ${listMs} ms`);
});
