// Accessibility of the public pages in a real browser: headless Chromium opens each page (and
// the pages its forms lead to), axe-core checks it, and no serious or critical violation may
// remain. The pages must also look right under the app's own Content-Security-Policy.
// Without Chromium the test is skipped with a message, except in CI (AFTERCARE_REQUIRE_POSTGRES=1),
// where a missing browser fails it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from './axe.js';
import { ADA, CHIARA, JONAS, openPublicWorld, type PublicWorld } from './publicWorld.js';

const skip = skipWithoutChromium('accessibility');

let w: PublicWorld;
let browser: Browser;

describe('public pages in a browser', { skip }, () => {
  before(async () => {
    w = await openPublicWorld();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  test('every page, and the pages its form leads to, has no serious or critical violation', async () => {
    // The axe script is injected inline, which the app's CSP rightly forbids: bypass it here only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    try {
      const pages: [string, string][] = [
        ['help', `${w.base}/help`],
        ['unsubscribe', w.local(w.link(ADA, '/u/'))],
        ['survey (English, NPS-free CSAT)', w.local(w.link(ADA, '/s/', 'checkin-week'))],
        ['survey (German)', w.local(w.link(JONAS, '/s/', 'checkin-week'))],
        ['plan (German, B2B with meetings)', w.local(w.link(JONAS, '/plan/'))],
        ['plan (English)', w.local(w.link(CHIARA, '/plan/'))],
        ['not found', `${w.base}/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`],
      ];
      for (const [what, url] of pages) {
        const response = await page.goto(url);
        assert.ok(response !== null);
        await assertAccessible(page, what);
      }

      // The survey, answered by hand: pick a score, write a comment, send; then the thanks page.
      await page.goto(w.local(w.link(CHIARA, '/s/', 'checkin-week')));
      await page.getByLabel('4', { exact: true }).check();
      await page.getByLabel('Anything you would like to tell us? (optional)').fill('The bulbs pair quickly.');
      await page.getByRole('button', { name: 'Send my answer' }).click();
      await page.waitForSelector('h1:has-text("Thank you")');
      await assertAccessible(page, 'survey thanks');

      // Preferences: from the unsubscribe page's link; switch offers off and save.
      await page.goto(w.local(w.link(CHIARA, '/u/')));
      await page.getByRole('link', { name: /Set your preferences/ }).click();
      await assertAccessible(page, 'preferences');
      await page.getByLabel('Offers').uncheck();
      await page.getByRole('button', { name: 'Save my choices' }).click();
      await page.waitForSelector('text=Saved.');
      await assertAccessible(page, 'preferences saved');

      // Unsubscribe by the page's button: the confirmation.
      await page.goto(w.local(w.link(CHIARA, '/u/')));
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.waitForSelector('h1:has-text("You are unsubscribed")');
      await assertAccessible(page, 'unsubscribed');
      const customer = await w.t.composed.commands.customers.get('cus-US-3001');
      assert.ok(customer?.unsubscribedAt !== null, 'the browser form unsubscribed');
      assert.deepEqual(customer?.preferences.topicsOff, ['offers']);
    } finally {
      await context.close();
    }
  });

  test("under the app's own CSP the stylesheet loads and the forms post", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    try {
      await page.goto(w.local(w.link(JONAS, '/s/', 'checkin-week')));
      // The stylesheet's 40rem at 18px: it loaded.
      assert.equal(await page.evaluate<string>('getComputedStyle(document.body).maxWidth'), '720px');
      // Nothing overflows a phone's width.
      assert.ok(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'));
      await page.getByLabel('5', { exact: true }).check();
      await page.getByRole('button', { name: 'Antwort senden' }).click();
      await page.waitForSelector('h1:has-text("Vielen Dank")');
      assert.deepEqual(blocked, []);
    } finally {
      await context.close();
    }
  });
});
