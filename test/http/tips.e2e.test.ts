// Tip series end to end (issue 11, education): real mail on a real SMTP server, the "I'm all set"
// link followed over real HTTP as a phone's browser does (GET the page, press its button), and the
// next tip skipped with its reason; a concern and education switched off stop a series too, and a
// B2B order no series fits gets no tip at all (never generic filler).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParsedMail } from 'mailparser';
import { smtpReceiver, type Mail } from '../../src/channels/staffServers.test-helpers.js';
import type { DomainEvent, TouchPoint } from '../../src/core/domain.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

const PHONE = {
  'user-agent':
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
};

let t: TestApp;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let base: string;

function placed(
  id: string,
  email: string,
  segment: 'b2b' | 'b2c',
  item: Record<string, unknown>,
  locale = 'en-GB',
): DomainEvent[] {
  const customerId = `cus-${id}`;
  return [
    {
      id: `placed-${id}`,
      type: 'order.placed',
      at: T0,
      customerId,
      orderId: id,
      customer: { customerId, email, firstName: id, segment, timezone: 'Europe/London', locale },
      order: {
        placedAt: T0,
        segment,
        currency: 'GBP',
        total: 189,
        items: [{ sku: null, productName: null, category: null, quantity: 1, price: 189, ...item }],
      },
      data: {},
    },
    { id: `delivered-${id}`, type: 'shipment.delivered', at: T0 + DAY, customerId, orderId: id, data: {} },
  ];
}

/** Runs the dispatcher every three hours of virtual time up to `until`. */
async function runUntil(until: number): Promise<void> {
  const { dispatcher, channels } = dispatcherFor(t, smtp.url);
  try {
    for (let at = t.clock.now(); at <= until; at += 3 * HOUR) {
      t.clock.set(at);
      await dispatcher.runUntilIdle();
    }
  } finally {
    await channels.close();
  }
}

function touchPointOf(mail: ParsedMail): string {
  const value = mail.headers.get('x-aftercare-touch-point');
  return typeof value === 'string' ? value : '';
}

function tipMails(to: string): ParsedMail[] {
  return smtp.mails
    .filter((m: Mail) => m.to[0] === to && /:usage-tips(-\d)?$/.test(touchPointOf(m.parsed)))
    .map((m) => m.parsed);
}

async function tip(orderId: string, step: string): Promise<TouchPoint> {
  const all = await t.composed.commands.touchPoints.list({ orderId });
  const found = all.find((tp) => tp.stepKey === step);
  assert.ok(found, `${orderId} has ${step}`);
  return found;
}

function local(url: string): string {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}`;
}

before(async () => {
  smtp = await smtpReceiver();
  t = await openTestApp({
    SMTP_URL: smtp.url,
    AFTERCARE_SECRET: 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-tips-link-secret',
    AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
    AFTERCARE_FREQUENCY_CAP: '20/7d',
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  await t.composed.commands.ingest.events([
    ...placed('EVA', 'eva@example.com', 'b2c', {
      sku: 'ESP-100',
      productName: 'Barista Espresso Machine',
      category: 'kitchen',
    }),
    ...placed('FIN', 'fin@example.com', 'b2c', {
      sku: 'TEA-SET',
      productName: 'Stoneware Tea Set',
      category: 'kitchen',
    }),
    ...placed(
      'GUS',
      'gus@example.com',
      'b2c',
      { sku: 'ESP-100', productName: 'Barista Espresso Machine' },
      'de-DE',
    ),
    ...placed('HAL', 'hal@desk.example', 'b2b', {
      sku: 'DESK-9',
      productName: 'Standing desk',
      category: 'office',
    }),
  ]);
  // Tip 1 is due three days after delivery.
  await runUntil(T0 + 5 * DAY);
});
after(async () => {
  await t.close();
  await smtp.close();
});

describe('tip series over SMTP and HTTP', () => {
  test('tip 1 is the product series for the espresso machine, the category one for the tea set, in their language', () => {
    const [eva] = tipMails('eva@example.com');
    assert.equal(eva?.subject, 'Your first espresso, step by step');
    assert.match(eva?.text ?? '', /This is tip 1 of 3 about your Barista Espresso Machine/);
    assert.match(eva?.text ?? '', /https:\/\/care\.lumen\.example\/tips\/[A-Za-z0-9_-]{40,}/);
    const [fin] = tipMails('fin@example.com');
    assert.equal(fin?.subject, 'A good first week with your new kitchen helper');
    const [gus] = tipMails('gus@example.com');
    assert.equal(gus?.subject, 'Ihr erster Espresso, Schritt für Schritt');
    assert.match(gus?.text ?? '', /Dies ist Tipp 1 von 3/);
  });

  test('a B2B order no series fits gets no tip: skipped no_tip_series, nothing generic sent', async () => {
    assert.equal(tipMails('hal@desk.example').length, 0);
    const first = await tip('HAL', 'usage-tips');
    assert.equal(first.status, 'skipped');
    assert.equal(first.reason?.code, 'no_tip_series');
  });

  test('"I\'m all set" from a phone: the page asks (GET changes nothing), the button stops the tips; tip 2 is skipped tips_done', async () => {
    const link = /https:\/\/\S+\/tips\/[A-Za-z0-9_-]+/.exec(tipMails('eva@example.com')[0]?.text ?? '')?.[0];
    assert.ok(link);
    const page = await fetch(local(link), { headers: PHONE });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html lang="en">/);
    assert.match(html, /I am all set, no more tips/);
    const before = await t.composed.commands.customers.get('cus-EVA');
    assert.equal(before?.preferences.tipsDone, undefined, 'a GET records nothing');
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
    const pressed = await fetch(`${base}${action}`, {
      method: 'POST',
      headers: { ...PHONE, 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: '',
    });
    assert.equal(pressed.status, 200);
    assert.match(await pressed.text(), /no more tips about this order/);
    const after = await t.composed.commands.customers.get('cus-EVA');
    assert.deepEqual(
      after?.preferences.tipsDone?.map((d) => [d.orderId, d.why]),
      [['EVA', 'all_set']],
    );
    // Opened again: it says so, and records nothing twice.
    assert.match(await (await fetch(local(link), { headers: PHONE })).text(), /You already told us/);

    // A concern for Fin (a person is on it), education switched off by Gus on the preferences page.
    await t.composed.commands.ingest.events([
      {
        id: 'helpdesk-fin',
        type: 'concern.raised',
        at: t.clock.now(),
        customerId: 'cus-FIN',
        orderId: null,
        data: { severity: 'medium', summary: 'the lid does not fit' },
      },
    ]);
    await t.composed.listener.hearPending();
    // Gus goes from his tip's page to his preferences (the page links them) and switches education off.
    const gusTips = /https:\/\/\S+\/tips\/[A-Za-z0-9_-]+/.exec(
      tipMails('gus@example.com')[0]?.text ?? '',
    )?.[0];
    assert.ok(gusTips);
    const gusPage = await (await fetch(local(gusTips), { headers: PHONE })).text();
    const prefs = /href="([^"]*\/preferences\/[^"]+)"/.exec(gusPage)?.[1];
    assert.ok(prefs);
    const saved = await fetch(`${base}${prefs}`, {
      method: 'POST',
      headers: { ...PHONE, 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams([
        ['form', 'preferences'],
        ['topic', 'checkins'],
        ['topic', 'offers'],
        ['channel', 'email'],
        ['pause', 'none'],
      ]).toString(),
    });
    assert.equal(saved.status, 200);

    // Tip 2 is due ten days after delivery.
    await runUntil(T0 + 12 * DAY);
    const eva2 = await tip('EVA', 'usage-tips-2');
    assert.equal(eva2.status, 'skipped');
    assert.deepEqual(eva2.reason, { code: 'tips_done', detail: 'the customer said they are all set' });
    assert.equal(tipMails('eva@example.com').length, 1, 'Eva got tip 1 only');

    const fin2 = await tip('FIN', 'usage-tips-2');
    assert.equal(fin2.status, 'skipped');
    assert.equal(fin2.reason?.code, 'concern_open');
    assert.equal(tipMails('fin@example.com').length, 1);

    const gus2 = await tip('GUS', 'usage-tips-2');
    assert.equal(gus2.status, 'skipped');
    assert.deepEqual(gus2.reason, { code: 'opted_out', detail: 'topic education switched off' });
    assert.equal(tipMails('gus@example.com').length, 1);
  });
});
