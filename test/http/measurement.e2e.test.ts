// A holdout customer and the measurement survey, end to end: with everyone held out, the
// production dispatcher sends Mara only the week's CSAT check-in (a measurement step of the
// built-in playbook) through a real SMTP server, none of the program's messages; she opens the
// survey link of that real mail over real HTTP and answers it, and the answer is recorded against
// that touch point, as the report needs to compare CSAT between the groups. Her plan page shows
// only what she gets. With AFTERCARE_MEASUREMENT=off the same customer gets no survey at all.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { smtpReceiver, type Mail } from '../../src/channels/staffServers.test-helpers.js';
import type { DomainEvent } from '../../src/core/domain.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, type TestApp } from './harness.js';

const MARA = 'mara.lindqvist@example.se';
const CUSTOMER_ID = 'cus-SE-4001';
const ORDER_ID = 'SE-4001';

const ORDER: DomainEvent[] = [
  {
    id: 'placed-SE-4001',
    type: 'order.placed',
    at: T0,
    customerId: CUSTOMER_ID,
    orderId: ORDER_ID,
    customer: {
      customerId: CUSTOMER_ID,
      email: MARA,
      firstName: 'Mara',
      timezone: 'Europe/Stockholm',
      locale: 'en',
    },
    order: {
      placedAt: T0,
      currency: 'USD',
      total: 79,
      items: [{ sku: 'LAMP-2', productName: 'Reading lamp', category: 'lighting', quantity: 1, price: 79 }],
    },
    data: {},
  },
  {
    id: 'delivered-SE-4001',
    type: 'shipment.delivered',
    at: T0 + 2 * DAY,
    customerId: CUSTOMER_ID,
    orderId: ORDER_ID,
    data: {},
  },
];

/** The shop with everyone held out, the order in, and ten days of the real dispatcher over real SMTP. */
async function heldOutShop(
  env: Record<string, string>,
): Promise<{ t: TestApp; mails: Mail[]; base: string; close: () => Promise<void> }> {
  const smtp = await smtpReceiver();
  const t = await openTestApp({
    SMTP_URL: smtp.url,
    AFTERCARE_SECRET: 'Vq3+pN8sK2xR7tY1wZ5mB9cF4hJ6lD0gA-measurement-secret',
    AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
    AFTERCARE_HOLDOUT: '100%',
    AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
    ...env,
  });
  const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  await t.composed.commands.ingest.events(ORDER);
  const { dispatcher, channels } = dispatcherFor(t, smtp.url);
  try {
    for (let at = T0; at <= T0 + 10 * DAY; at += 3 * HOUR) {
      t.clock.set(at);
      await dispatcher.runUntilIdle();
    }
  } finally {
    await channels.close();
  }
  return {
    t,
    mails: smtp.mails,
    base,
    close: async () => {
      await t.close();
      await smtp.close();
    },
  };
}

function touchPointOf(mail: Mail): string {
  const value = mail.parsed.headers.get('x-aftercare-touch-point');
  return typeof value === 'string' ? value : '';
}

describe('a holdout customer and the measurement survey, over real SMTP and HTTP', () => {
  test('gets the CSAT check-in and nothing of the program, answers it, and her plan shows only that', async () => {
    const shop = await heldOutShop({});
    try {
      const mara = (await shop.t.composed.commands.customers.get(CUSTOMER_ID))!;
      assert.equal(mara.holdout, true);

      // Only the measurement survey reached her: no thank-you, no arrival check, no tips.
      const hers = shop.mails.filter((m) => m.to.includes(MARA));
      assert.deepEqual(
        hers.map((m) => touchPointOf(m).split(':').at(-1)),
        ['checkin-week'],
      );
      const mail = hers[0]!;
      const text = mail.parsed.text ?? '';
      assert.match(mail.parsed.subject ?? '', /One week in/);
      // The same words as for everyone: the question and how to get help, no program content.
      assert.doesNotMatch(text, /\btips?\b|\boffers?\b|\bstory\b|aftercare/i);
      const touchPoints = (await shop.t.composed.commands.customers.touchPoints(CUSTOMER_ID))!;
      const skipped = touchPoints
        .filter((tp) => tp.status === 'skipped')
        .map((tp) => `${tp.stepKey}:${tp.reason?.code}`);
      for (const step of ['thank-you', 'arrival-check', 'usage-tips'])
        assert.ok(skipped.includes(`${step}:holdout`), step);

      // She opens the link in the mail (GET records nothing) and answers (POST).
      const link = (text.match(/https?:\/\/[^\s<>)"]+/g) ?? []).find((l) =>
        new URL(l).pathname.startsWith('/s/'),
      );
      assert.ok(link, 'the mail carries a survey link');
      const url = new URL(link);
      const survey = `${shop.base}${url.pathname}${url.search}`;
      const page = await fetch(survey);
      assert.equal(page.status, 200);
      assert.deepEqual(
        await shop.t.composed.commands.customers.timeline(CUSTOMER_ID, ['survey.answered']),
        [],
      );
      const answered = await fetch(survey, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ score: '4' }).toString(),
      });
      assert.equal(answered.status, 200);
      const [answer] = (await shop.t.composed.commands.customers.timeline(CUSTOMER_ID, ['survey.answered']))!;
      assert.ok(answer, 'the answer is recorded');
      assert.equal(answer.data['survey'], 'csat');
      assert.equal(answer.data['score'], 4);
      // Tied to the measurement step's touch point: the report compares answers to measurement steps.
      const week = touchPoints.find((tp) => tp.stepKey === 'checkin-week')!;
      assert.equal(week.status, 'sent');
      assert.equal(week.holdout, true);
      assert.equal(answer.data['touchPointId'], week.id);

      // Her plan page: what she got and will get (the month's NPS question), nothing she will not.
      const token = shop.t.composed.linkTokens.issue({
        purpose: 'plan',
        customerId: CUSTOMER_ID,
        orderId: ORDER_ID,
        touchPointId: null,
        expiresAt: shop.t.clock.now() + 30 * DAY,
      });
      const plan = await fetch(`${shop.base}/plan/${token}`);
      assert.equal(plan.status, 200);
      const html = await plan.text();
      assert.match(html, /check-in after a week/i);
      assert.match(html, /check-in after a month/i);
      for (const absent of ['thank-you', 'tips', 'story', 'offer', 'review'])
        assert.doesNotMatch(html, new RegExp(absent, 'i'), absent);
    } finally {
      await shop.close();
    }
  });

  test('AFTERCARE_MEASUREMENT=off: the holdout gets no survey at all', async () => {
    const shop = await heldOutShop({ AFTERCARE_MEASUREMENT: 'off' });
    try {
      assert.deepEqual(
        shop.mails.filter((m) => m.to.includes(MARA)),
        [],
      );
      const touchPoints = (await shop.t.composed.commands.customers.touchPoints(CUSTOMER_ID))!;
      const week = touchPoints.find((tp) => tp.stepKey === 'checkin-week')!;
      assert.equal(week.status, 'skipped');
      assert.equal(week.reason?.code, 'holdout');
    } finally {
      await shop.close();
    }
  });
});
