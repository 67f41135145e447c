// The effectiveness pages in real headless Chromium, on a history with a holdout and two teams'
// audits (effectivenessWorld.ts): an owner reads the report (lift cards and charts), narrows it
// with the filter form, compares the two teams, adds an action item through the form (first
// leaving a field empty and reading the error beside it) and marks it done with a playbook
// version. axe-core checks each page: no serious or critical violation. With
// AFTERCARE_DASHBOARD_SCREENSHOTS=1 the pages are saved into docs/dashboard/. Without Chromium
// the test is skipped, except in CI.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from './axe.js';
import { PASSWORD, USERS } from './dashboardWorld.js';
import { openEffectivenessWorld, type EffectivenessWorld } from './effectivenessWorld.js';

const skip = skipWithoutChromium('effectiveness pages');
const SHOTS = process.env.AFTERCARE_DASHBOARD_SCREENSHOTS === '1' ? 'docs/dashboard' : null;

let w: EffectivenessWorld;
let browser: Browser;

async function check(page: Page, what: string): Promise<void> {
  await assertAccessible(page, what);
  if (SHOTS !== null) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${what.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true });
  }
}

describe('effectiveness pages in a browser', { skip }, () => {
  before(async () => {
    w = await openEffectivenessWorld();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  test('an owner reads the report, compares two teams and works an action item to done', async () => {
    // The axe script is injected inline, which the app's CSP rightly forbids: bypass it here only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${w.base}/dashboard/`);
      await page.getByLabel('E-mail address').fill(USERS.owner);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('h1:has-text("Overview")');

      await page.getByRole('link', { name: 'Effectiveness' }).click();
      await page.waitForSelector('h1:has-text("Effectiveness")');
      const report = await w.composed.commands.reports.summary({});
      assert.equal(await page.locator('[id^="lift-"] svg[role=img]').count(), report.lift.length);
      assert.ok((await page.getByRole('img', { name: /Importance against performance/ }).count()) === 1);
      await check(page, 'effectiveness');

      await page.getByLabel('Placed from').fill('2026-08-15');
      await page.getByLabel('Playbook (empty: all)').fill('reassure');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/since=2026-08-15/);
      assert.match(page.url(), /playbook=reassure/);
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'as one HTML file' }).click();
      assert.match(
        (await download).suggestedFilename(),
        /^aftercare-report-2026-08-15-to-now-reassure\.html$/,
      );

      await page.getByRole('link', { name: 'Audits compared' }).click();
      await page.getByLabel('First team').selectOption('support');
      await page.getByLabel('Second team').selectOption('sales');
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.waitForSelector('h2:has-text("support and sales")');
      assert.match((await page.textContent('main')) ?? '', /Where they disagree most/);
      await check(page, 'audits-compared');

      await page.getByRole('link', { name: 'Action items', exact: true }).click();
      await page.getByLabel('Interaction').selectOption('delivery');
      await page.getByLabel('What will be done').fill('Offer earlier delivery slots');
      await page.getByLabel('Due').fill('2026-11-01');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.waitForSelector('#new-owner-error');
      assert.equal(await page.getByLabel('What will be done').inputValue(), 'Offer earlier delivery slots');
      await check(page, 'action-item-refused');
      await page.getByLabel('Owner').fill('ops');
      await page.getByRole('button', { name: 'Add' }).click();
      await page.waitForSelector('text=Action item added.');
      await check(page, 'action-items');

      const [item] = await w.composed.commands.gaps.listActions({ status: 'open' });
      assert.equal(item?.title, 'Offer earlier delivery slots');
      const version = `reassure@${w.history.playbooks.find((p) => p.name === 'reassure')!.version}`;
      await page.locator(`#version-${item.id}`).fill(version);
      await page.getByRole('button', { name: /Mark done/ }).click();
      await page.waitForSelector('text=Action item marked done.');
      const [closed] = await w.composed.commands.gaps.listActions();
      assert.equal(closed?.status, 'done');
      assert.equal(closed?.playbookVersion, version);
    } finally {
      await context.close();
    }
  });
});
