// The dashboard in real headless Chromium: a rep signs in through the form, opens a task from the
// inbox, reads its script and the customer's context, records an outcome with one press, and
// reads the customer's timeline; an owner reads the overview (with the lift chart) and searches
// customers; a manager moves a touch point and erases a customer from the timeline (its action
// forms and the erase confirmation). axe-core checks every page: no serious or critical
// violation. With AFTERCARE_DASHBOARD_SCREENSHOTS=1 each page is also saved into docs/dashboard/
// for docs/dashboard.md. Without Chromium the test is skipped, except in CI.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { playbookDefinition, playbookFingerprint } from '../../src/core/playbook/snapshot.js';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from './axe.js';
import {
  ADA_ID,
  GRACE_ID,
  PASSWORD,
  USERS,
  openDashboardWorld,
  type DashboardWorld,
} from './dashboardWorld.js';

const skip = skipWithoutChromium('dashboard');
const SHOTS = process.env.AFTERCARE_DASHBOARD_SCREENSHOTS === '1' ? 'docs/dashboard' : null;

let w: DashboardWorld;
let browser: Browser;

async function check(page: Page, what: string): Promise<void> {
  await assertAccessible(page, what);
  if (SHOTS !== null) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${what.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true });
  }
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${w.base}/dashboard/`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('dashboard in a browser', { skip }, () => {
  before(async () => {
    w = await openDashboardWorld();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
    await w?.close();
  });

  test('a rep signs in, works a task to its outcome and reads the timeline', async () => {
    // The axe script is injected inline, which the app's CSP rightly forbids: bypass it here only.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${w.base}/dashboard/`);
      await page.waitForSelector('h1:has-text("Sign in")');
      await check(page, 'sign-in');
      await signIn(page, USERS.rep);
      // A rep lands on the inbox.
      await page.waitForSelector('h1:has-text("Inbox")');
      await check(page, 'inbox');
      await page.getByRole('link', { name: /cracked shade/ }).click();
      await page.waitForSelector('h2:has-text("Script")');
      assert.match((await page.textContent('main')) ?? '', /cracked shade/);
      await check(page, 'task');
      await page.getByLabel('Notes (optional)').fill('Sent a new shade today.');
      await page.getByRole('button', { name: 'Resolved' }).click();
      await page.waitForSelector('text=Saved.');
      const task = await w.t.composed.commands.tasks.get(w.taskId);
      assert.equal(task?.status, 'done');
      assert.equal(task?.outcome, 'resolved');
      assert.equal(task?.notes, 'Sent a new shade today.');

      await page.getByRole('link', { name: /Ada Tester/ }).click();
      await page.waitForSelector('h2:has-text("Timeline")');
      const timeline = (await page.textContent('main')) ?? '';
      assert.match(timeline, /task\.completed/);
      assert.match(timeline, /Sent a new shade today\./);
      assert.match(timeline, /order\.placed/);
      await check(page, 'timeline');
      // The overview is not the rep's: 403, also when typed in.
      const refused = await page.goto(`${w.base}/dashboard/overview`);
      assert.equal(refused?.status(), 403);
    } finally {
      await context.close();
    }
  });

  test('an owner reads the overview with the lift card and searches customers by address and by name', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, USERS.owner);
      await page.waitForSelector('h1:has-text("Overview")');
      assert.ok((await page.locator('svg[role=img]').count()) > 0, 'the lift charts are drawn');
      await check(page, 'overview');
      await page.getByRole('link', { name: 'Customers' }).click();
      await page.getByLabel('Starts with').fill('ada');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForSelector('text=ada.lovelace@example.com');
      await check(page, 'customers');
      // By name: the form keeps the choice, and accents need not be typed.
      await page.getByLabel('Search by').selectOption('name');
      await page.getByLabel('Starts with').fill('GRACE t');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForSelector('text=grace.hopper@example.com');
      assert.equal(await page.getByLabel('Search by').inputValue(), 'name');
      assert.equal(await page.locator('text=ada.lovelace@example.com').count(), 0);
      await page.getByLabel('Search by').selectOption('email');
      await page.getByLabel('Starts with').fill('ada');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForSelector('text=ada.lovelace@example.com');
      await page.getByRole('link', { name: 'ada.lovelace@example.com' }).click();
      await page.waitForURL(`**/dashboard/customers/${ADA_ID}`);
    } finally {
      await context.close();
    }
  });

  test('a manager moves a touch point and erases a customer from the timeline', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const { commands } = w.t.composed;
    try {
      await signIn(page, USERS.manager);
      await page.waitForSelector('h1:has-text("Overview")');
      await page.goto(`${w.base}/dashboard/customers/${GRACE_ID}`);
      await page.waitForSelector('h2:has-text("Scheduled touch points")');
      await check(page, 'timeline-actions');
      const [thanks] = (await commands.customers.touchPoints(GRACE_ID)) ?? [];
      assert.equal(thanks?.status, 'scheduled');
      const item = page.locator('li.tp', { hasText: 'thank-you' });
      // The manager's zone is the shop's, Europe/London: 15:45 in June is 14:45 UTC.
      await item.getByLabel('New time (Europe/London)').fill('2026-06-09T15:45');
      await item.getByRole('button', { name: 'Move' }).click();
      await page.waitForSelector(
        'text=Moved reassure · thank-you by email to 2026-06-09 15:45 (Europe/London).',
      );
      assert.equal((await commands.touchPoints.get(thanks.id))?.dueAt, Date.UTC(2026, 5, 9, 14, 45));

      await page.getByRole('link', { name: 'Erase this customer…' }).click();
      await page.waitForSelector('h2:has-text("What erasure removes")');
      await check(page, 'erase');
      await page.getByLabel(/Type the customer's e-mail address/).fill('someone.else@example.com');
      await page.getByRole('button', { name: 'Erase this customer' }).click();
      await page.waitForSelector('text=Nothing was erased');
      await check(page, 'erase-refused');
      assert.equal((await commands.customers.get(GRACE_ID))?.email, 'grace.hopper@example.com');
      await page.getByLabel(/Type the customer's e-mail address/).fill('grace.hopper@example.com');
      await page.getByRole('button', { name: 'Erase this customer' }).click();
      await page.waitForSelector('text=Erased. Removed for good:');
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Erased on 2026-06-02 13:01 \(Europe\/London\)/);
      assert.doesNotMatch(main, /grace\.hopper|Grace/);
      await check(page, 'timeline-erased');
      const erased = await commands.customers.get(GRACE_ID);
      assert.equal(erased?.email, null);
      assert.equal((await commands.touchPoints.get(thanks.id))?.status, 'cancelled');
    } finally {
      await context.close();
    }
  });

  test('a manager reads a playbook on its timeline, checks broken YAML and simulates sample orders', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, USERS.manager);
      await page.waitForSelector('h1:has-text("Overview")');
      await page
        .getByRole('navigation', { name: 'Dashboard' })
        .getByRole('link', { name: 'Playbooks' })
        .click();
      await page.waitForSelector('h1:has-text("Playbooks")');
      await check(page, 'playbooks');
      await page.getByRole('link', { name: 'reassure' }).click();
      await page.waitForSelector('h2:has-text("Timeline")');
      assert.equal(
        await page.locator('svg[role=img] title#timeline-title').count(),
        1,
        'the timeline is drawn',
      );
      assert.match((await page.textContent('#steps ~ div, section:has(#steps)')) ?? '', /renewal-heads-up/);
      await check(page, 'playbook');

      // A newer version recorded beside the running one (a step retimed, one added), compared.
      const running = w.t.composed.commands.playbooks.get('reassure')!;
      const next = {
        ...running,
        version: running.version + 1,
        steps: [
          ...running.steps.map((s) =>
            s.key === 'checkin-week' ? { ...s, timing: { ...s.timing, offsetMs: 10 * 86_400_000 } } : s,
          ),
          { ...running.steps[0]!, key: 'second-thanks', description: 'Thanks again, a week on.' },
        ],
      };
      const definition = playbookDefinition(next);
      await w.t.store.playbooks.registerPlaybookVersion({
        name: next.name,
        version: next.version,
        fingerprint: playbookFingerprint(definition, {}),
        definition,
        templates: {},
        registeredAt: w.t.clock.now(),
      });
      await page.reload();
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.waitForSelector('h2:has-text("Steps side by side")');
      assert.match((await page.textContent('main')) ?? '', /1 added, 0 removed, 1 changed/);
      await check(page, 'playbook-versions');

      await page.goto(`${w.base}/dashboard/playbooks/validate`);
      await page
        .getByLabel('Playbook YAML')
        .fill('name: draft\nversion: 1\nsteps:\n  - key: hi\n    channel: pigeon\n');
      await page.getByRole('button', { name: 'Check' }).click();
      await page.waitForSelector('text=Not valid');
      assert.match((await page.textContent('main')) ?? '', /steps\[0\]\.channel/);
      await check(page, 'playbook-validate');

      await page.goto(`${w.base}/dashboard/playbooks/simulate?playbook=reassure`);
      await page.getByLabel('Sample orders (1 to 50)').fill('4');
      await page.getByLabel('Days to simulate from the first event (1 to 120)').fill('40');
      await page.getByRole('button', { name: 'Simulate' }).click();
      await page.waitForSelector('h2:has-text("What would happen")');
      assert.ok((await page.locator('h3:has-text("Order ")').count()) > 0, 'orders with their touch points');
      await check(page, 'playbook-simulate');
    } finally {
      await context.close();
    }
  });

  test("under the app's own CSP the stylesheet loads and sign-in works", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    try {
      await signIn(page, USERS.viewer);
      await page.waitForSelector('h1:has-text("Overview")');
      const background = await page.evaluate<string>(
        'getComputedStyle(document.documentElement).backgroundColor',
      );
      assert.equal(background, 'rgb(246, 247, 249)');
      assert.deepEqual(blocked, []);
    } finally {
      await context.close();
    }
  });
});
