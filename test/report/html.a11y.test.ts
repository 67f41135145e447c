// The HTML report in a real browser: headless Chromium opens the file offline, axe-core checks
// it, and no serious or critical violation may remain; the browser fetches nothing. Skipped with
// a message without Chromium, except in CI (AFTERCARE_REQUIRE_POSTGRES=1).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { report } from '../../src/report/fixture.test-helpers.js';
import { formatReportHtml } from '../../src/report/html.js';

const CHROMIUM = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = process.env.AFTERCARE_REQUIRE_POSTGRES === '1';
const missing = !existsSync(CHROMIUM);
if (missing && IN_CI)
  throw new Error(`Chromium is required in CI for the accessibility test: none at ${CHROMIUM}`);
const skip = missing
  ? `Chromium not found at ${CHROMIUM} (set AFTERCARE_CHROMIUM); accessibility not checked`
  : false;

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

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
      await page.addScriptTag({ content: AXE });
      const found = await page.evaluate<Violation[]>('axe.run().then((result) => result.violations)');
      const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(
        serious.map(
          (v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`,
        ),
        [],
      );
    } finally {
      await context.close();
    }
  });
});
