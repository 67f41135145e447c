// The HTML report in a real browser: headless Chromium opens the file offline, axe-core checks
// it, and no serious or critical violation may remain; the browser fetches nothing. Skipped with
// a message without Chromium, except in CI (AFTERCARE_REQUIRE_POSTGRES=1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from '../http/axe.js';
import { report } from '../../src/report/fixture.test-helpers.js';
import { formatReportHtml } from '../../src/report/html.js';

const skip = skipWithoutChromium('accessibility');

let browser: Browser;

describe('the HTML report in a browser', { skip }, () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
  });

  test('has no serious or critical accessibility violation and asks the network for nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    try {
      await page.setContent(formatReportHtml(report), { waitUntil: 'load' });
      assert.deepEqual(requests, [], 'the report fetched something');
      assert.equal(await page.locator('svg[role="img"]').count(), 7);
      await assertAccessible(page);
    } finally {
      await context.close();
    }
  });
});
