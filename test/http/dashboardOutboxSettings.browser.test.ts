// The outbox and settings pages in real headless Chromium under the app's own CSP: a manager
// filters the outbox and opens a message (its HTML part in a sandboxed frame, no script run, no
// CSP violation); an owner creates an API key and a user from the settings page. axe-core checks
// each page (injected with CSP bypassed in a second context): no serious or critical violation.
// Without Chromium the test is skipped, except in CI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from './axe.js';
import { PASSWORD, USERS, openDashboardWorld, sendDue, type DashboardWorld } from './dashboardWorld.js';
import { DAY, T0 } from './harness.js';

const skip = skipWithoutChromium('outbox and settings');

let w: DashboardWorld;
let browser: Browser;

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${w.base}/dashboard/`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('outbox and settings in a browser', { skip }, () => {
  before(async () => {
    w = await openDashboardWorld();
    w.t.clock.set(T0 + 2 * DAY);
    const sent = await sendDue(w);
    if (sent.length === 0) throw new Error('the world sent nothing');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  test('a manager filters the outbox and reads a message; its HTML runs no script', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    try {
      await signIn(page, USERS.manager);
      await page.waitForSelector('h1:has-text("Overview")');
      await page.getByRole('link', { name: 'Outbox' }).click();
      await page.waitForSelector('h1:has-text("Outbox")');
      await page.getByLabel('Channel').selectOption('email');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/channel=email/);
      await page
        .getByRole('link', { name: /^Preview/ })
        .first()
        .click();
      await page.waitForSelector('h2:has-text("Text part")');
      assert.match((await page.textContent('main')) ?? '', /e-mail outbox/);
      const frame = page.frameLocator('iframe.mail');
      assert.ok(((await frame.locator('body').textContent()) ?? '').length > 20, 'the HTML part is drawn');
      assert.equal(await frame.locator('a[href]').count(), 0, 'its links are inert');
      assert.deepEqual(blocked, [], 'nothing the CSP had to block');
    } finally {
      await context.close();
    }
  });

  test('an owner creates an API key and a user; the new user signs in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, USERS.owner);
      await page.waitForSelector('h1:has-text("Overview")');
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.waitForSelector('h2:has-text("Integrations")');
      await page.getByLabel('Name', { exact: true }).fill('browser key');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = await page.getByLabel('The new key').inputValue();
      assert.match(key, /^ak_/);
      await page.getByLabel('E-mail', { exact: true }).fill('bea@shop.test');
      await page.getByLabel('Role').selectOption('viewer');
      await page.getByRole('button', { name: 'Create user' }).click();
      const password = await page.getByLabel('Password').inputValue();
      assert.ok(password.length >= 12);
      const bea = await browser.newContext();
      try {
        const beaPage = await bea.newPage();
        await signIn(beaPage, 'bea@shop.test', password);
        await beaPage.waitForSelector('h1:has-text("Overview")');
      } finally {
        await bea.close();
      }
    } finally {
      await context.close();
    }
  });

  test('axe finds no serious violation on the outbox, a message and the settings', async () => {
    // The axe script is injected inline, which the app's CSP rightly forbids: bypass it here only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, USERS.owner);
      await page.waitForSelector('h1:has-text("Overview")');
      await page.goto(`${w.base}/dashboard/outbox`);
      await assertAccessible(page, 'outbox');
      await page
        .getByRole('link', { name: /^Preview/ })
        .first()
        .click();
      await page.waitForSelector('h2:has-text("Text part")');
      await assertAccessible(page, 'sent message');
      await page.goto(`${w.base}/dashboard/settings`);
      await assertAccessible(page, 'settings');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.waitForSelector('#email-error');
      await assertAccessible(page, 'settings with a field error');
    } finally {
      await context.close();
    }
  });
});
