// A channel in ERROR (started by ConsoleServingIT with a configuration problem): the red dot, its message on hover
// and for screen readers, and Start offered.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertTokenNotInPage, env, launch, recordedContext, waitForStatus } from './harness.mjs';

const URL_ = env('CONSOLE_URL');
const TOKEN = env('CONSOLE_TOKEN');
const EXPECTED = env('CONSOLE_EXPECTED_ERROR');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('ERROR: a red dot, the message on hover and for screen readers, Start offered', async () => {
  const { context, problems } = await recordedContext(browser);
  const page = await context.newPage();
  await page.goto(`${URL_}#token=${encodeURIComponent(TOKEN)}`);
  await waitForStatus(page, 'ERROR');
  const indicator = page.locator('.status-box [data-status="ERROR"]');
  const dot = indicator.locator('.dot');
  assert.equal(await dot.evaluate((d) => getComputedStyle(d).backgroundColor), 'rgb(220, 38, 38)');
  // hover: the title of the dot
  assert.match(await dot.getAttribute('title'), new RegExp(EXPECTED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // screen readers: the indicator is described by the visible message
  const describedBy = await indicator.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the status is not described');
  assert.match(await page.locator(`#${describedBy}`).innerText(), new RegExp(EXPECTED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const accessible = await page.locator('.status-box').ariaSnapshot();
  assert.match(accessible, /ERROR/);
  // the top bar says it to screen readers as well
  assert.match(await page.locator('#top-status').innerText(), /ERROR/);
  assert.match(await page.locator('#top-status').textContent(), new RegExp(EXPECTED.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.equal(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled(), false);
  await assertTokenNotInPage(page, TOKEN);
  assert.deepEqual(problems, []);
});
