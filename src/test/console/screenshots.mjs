// Screenshots of the console's main views, desktop and phone width, for the README (docs/console-*.png).
// Run by ConsoleBrowserIT when CONSOLE_SCREENSHOTS names the output folder: docs/console-screenshots.sh does that.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { env, launch, waitForStatus } from './browser/harness.mjs';

const URL_ = env('CONSOLE_URL');
const TOKEN = env('CONSOLE_TOKEN');
const OUT = env('CONSOLE_SCREENSHOTS');
const CUSTOMER = env('CONSOLE_ATTACHMENT_CUSTOMER');

const SIZES = {
  desktop: { viewport: { width: 1280, height: 820 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

mkdirSync(OUT, { recursive: true });
const browser = await launch();
try {
  for (const [size, options] of Object.entries(SIZES)) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const suffix = size === 'desktop' ? '' : '-phone';
    const shot = async (name) => {
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(OUT, `console-${name}${suffix}.png`), fullPage: size === 'desktop' });
      console.log(`wrote ${join(OUT, `console-${name}${suffix}.png`)}`);
    };

    await page.goto(`${URL_}#token=${encodeURIComponent(TOKEN)}`);
    await waitForStatus(page, 'RUNNING');
    await page.locator('table.list tbody tr').first().waitFor();
    await shot('connection');

    await page.goto(`${URL_}#/sessions`);
    await page.locator('table.list tbody tr').first().waitFor();
    await shot('sessions');

    await page.getByLabel('Customer address').fill(CUSTOMER);
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.locator('table.list a', { hasText: CUSTOMER }).first().click();
    await page.locator('li.message.out').first().waitFor();
    await page.locator('li.message.in details.headers summary').first().click();
    await shot('conversation');
    await page.goto(`${URL_}#/sessions`);
    await page.getByLabel('Customer address').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();

    if (size === 'desktop') {
      await page.goto(`${URL_}#/logs`);
      await page.locator('ol.log li').first().waitFor();
      await shot('logs');
      await page.goto(`${URL_}#/problems`);
      await page.locator('#problems-inbox').waitFor();
      await shot('problems');
      await page.goto(`${URL_}#/connection`);
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.getByRole('dialog').waitFor();
      await shot('stop-dialog');
      await page.keyboard.press('Escape');
    }
    await context.close();
  }
} finally {
  await browser.close();
}
