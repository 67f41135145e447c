import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent, Millis } from '../core/domain.js';
import type { Playbook } from '../core/playbook/types.js';
import { simulationParts } from '../app/compose.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../app/playbooks.js';
import { loadConfig } from '../config.js';
import { TemplateRenderer } from '../templates/render.js';
import { runSimulation, type Delivery } from './simulation.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// Monday 2026-06-01 14:00 UTC.
const T0 = Date.UTC(2026, 5, 1, 14, 0);

function placed(
  orderId: string,
  at: Millis,
  extra: { email: string; timezone: string; total: number; segment: 'b2c' | 'b2b' },
): DomainEvent {
  return {
    id: `t:${orderId}:placed`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId,
    customer: { email: extra.email, firstName: 'Ana', timezone: extra.timezone, segment: extra.segment },
    order: {
      placedAt: at,
      total: extra.total,
      currency: 'USD',
      segment: extra.segment,
      items: [{ sku: 'L1', productName: 'Lamp', category: 'home', quantity: 1, price: extra.total }],
    },
    data: {},
  };
}

function lifecycle(orderId: string, type: DomainEvent['type'], at: Millis): DomainEvent {
  return {
    id: `t:${orderId}:${type}`,
    type,
    at,
    customerId: null,
    orderId,
    data: {},
    order:
      type === 'shipment.shipped'
        ? { placedAt: T0, shipment: { carrier: 'UPS', trackingNumber: '1Z999' } }
        : undefined,
  };
}

describe('simulation (the production dispatcher on a virtual clock)', () => {
  let playbook: Playbook;
  let renderer: TemplateRenderer;
  before(async () => {
    renderer = new TemplateRenderer({ dirs: [] });
    playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'), renderer);
  });

  const config = loadConfig({ AFTERCARE_HOLDOUT: '0', AFTERCARE_TIMEZONE: 'UTC' });

  async function simulate(events: DomainEvent[], days = 60, overrides = config) {
    return runSimulation({
      events,
      playbooks: [playbook],
      renderer,
      days,
      config: overrides,
      ...simulationParts(),
    });
  }

  const find = (deliveries: Delivery[], order: string, step: string) =>
    deliveries.find((d) => d.order_id === order && d.step === step);

  test('a run over its budget stops with an error naming where it got to', async () => {
    const events = [
      placed('o1', T0, { email: 'ana@example.com', timezone: 'UTC', total: 80, segment: 'b2c' }),
      lifecycle('o1', 'shipment.shipped', T0 + DAY),
    ];
    let steps = 0;
    await assert.rejects(
      runSimulation({
        events,
        playbooks: [playbook],
        renderer,
        days: 60,
        config,
        ...simulationParts(),
        overBudget: () => ++steps > 2,
      }),
      /the simulation ran out of time at 2026-06-\d\dT.*; simulate fewer orders or days/,
    );
    assert.equal(steps, 3, 'asked at each step until it said stop');
  });

  test('a b2c order gets the program at local times, and every delivery has the documented fields', async () => {
    const events = [
      placed('o1', T0, { email: 'ana@example.com', timezone: 'America/New_York', total: 80, segment: 'b2c' }),
      lifecycle('o1', 'shipment.shipped', T0 + DAY + 3 * HOUR),
      lifecycle('o1', 'shipment.delivered', T0 + 3 * DAY + 2 * HOUR),
    ];
    const { deliveries, summary } = await simulate(events);

    const thanks = find(deliveries, 'o1', 'thank-you');
    assert.equal(thanks?.outcome, 'sent');
    assert.equal(thanks?.local_at, '2026-06-02T10:00:00.000-04:00', 'the day after, 10:00 in New York');
    assert.equal(thanks?.at, '2026-06-02T14:00:00.000Z');
    assert.ok(thanks?.subject && thanks.subject.length > 0);

    assert.equal(find(deliveries, 'o1', 'order-shipped')?.outcome, 'sent');
    assert.equal(find(deliveries, 'o1', 'arrival-check')?.outcome, 'sent');
    assert.equal(find(deliveries, 'o1', 'arrival-call'), undefined, 'no call for a small b2c order');
    assert.equal(find(deliveries, 'o1', 'checkin-week')?.outcome, 'sent');
    assert.equal(find(deliveries, 'o1', 'checkin-month')?.outcome, 'sent');

    for (const d of deliveries) {
      for (const field of [
        'order_id',
        'email',
        'step',
        'channel',
        'purpose',
        'holdout',
        'at',
        'local_at',
        'outcome',
        'reason',
      ] as const) {
        assert.ok(field in d, `${field} on ${d.step}`);
      }
      assert.match(d.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(d.local_at, /[+-]\d\d:\d\d$/);
      assert.ok(['transactional', 'reassurance', 'education', 'offer'].includes(d.purpose));
      if (d.outcome === 'skipped' || d.outcome === 'cancelled') assert.ok(d.reason, `reason for ${d.step}`);
      if (['email', 'sms'].includes(d.channel) && d.outcome === 'sent') {
        const hour = Number(d.local_at.slice(11, 13));
        assert.ok(hour >= 9 && hour < 20, `${d.step} sent at ${d.local_at}, inside quiet hours`);
      }
    }
    assert.equal(summary.orders, 1);
    assert.equal(summary.customers, 1);
    assert.ok((summary.by_outcome.sent ?? 0) >= 5);
  });

  test('b2b and high-value orders bring people in: calls, a meeting, a letter', async () => {
    const events = [
      placed('b1', T0, {
        email: 'buyer@corp.example',
        timezone: 'Europe/London',
        total: 4000,
        segment: 'b2b',
      }),
      lifecycle('b1', 'shipment.shipped', T0 + DAY),
      lifecycle('b1', 'shipment.delivered', T0 + 2 * DAY),
    ];
    const { deliveries } = await simulate(events, 70);
    assert.equal(find(deliveries, 'b1', 'arrival-call')?.channel, 'task:call');
    assert.equal(find(deliveries, 'b1', 'arrival-call')?.outcome, 'sent');
    assert.equal(find(deliveries, 'b1', 'arrival-check'), undefined, 'the call replaces the arrival email');
    assert.equal(find(deliveries, 'b1', 'checkup-meeting')?.outcome, 'sent');
    assert.equal(find(deliveries, 'b1', 'thank-you-letter')?.outcome, 'sent');
    const call = find(deliveries, 'b1', 'arrival-call')!;
    const local = new Date(call.local_at.slice(0, 19) + 'Z');
    assert.ok(local.getUTCDay() >= 1 && local.getUTCDay() <= 5, 'calls on business days');
  });

  test('a return ends the program: the follow-up goes out, later steps are cancelled', async () => {
    const events = [
      placed('r1', T0, { email: 'ret@example.com', timezone: 'UTC', total: 60, segment: 'b2c' }),
      lifecycle('r1', 'shipment.shipped', T0 + DAY),
      lifecycle('r1', 'shipment.delivered', T0 + 2 * DAY),
      lifecycle('r1', 'order.returned', T0 + 5 * DAY),
    ];
    const { deliveries } = await simulate(events);
    assert.equal(find(deliveries, 'r1', 'return-followup')?.outcome, 'sent');
    const week = find(deliveries, 'r1', 'checkin-week');
    assert.equal(week?.outcome, 'cancelled');
    assert.equal(week?.reason, 'program_ended');
    assert.equal(week?.reason_detail, 'returned');
    assert.ok(
      !deliveries.some((d) => d.order_id === 'r1' && d.step === 'insider-offer' && d.outcome === 'sent'),
    );
  });

  const holdoutOrder = [
    placed('h1', T0, { email: 'h@example.com', timezone: 'UTC', total: 60, segment: 'b2c' }),
    lifecycle('h1', 'shipment.shipped', T0 + DAY),
    lifecycle('h1', 'shipment.delivered', T0 + 2 * DAY),
  ];

  test('holdout customers receive transactional messages and the measurement surveys only', async () => {
    const { deliveries, summary } = await simulate(holdoutOrder, 40, loadConfig({ AFTERCARE_HOLDOUT: '1' }));
    assert.equal(summary.holdout_customers, 1);
    const sent = deliveries.filter((d) => d.outcome === 'sent');
    assert.ok(sent.length > 0);
    assert.ok(
      sent.every((d) => d.holdout && (d.purpose === 'transactional' || d.measurement)),
      JSON.stringify(sent.map((d) => d.step)),
    );
    assert.equal(find(deliveries, 'h1', 'thank-you')?.reason, 'holdout');
    assert.equal(find(deliveries, 'h1', 'usage-tips')?.reason, 'holdout');
    // The same question at the same local time as a treated customer gets it.
    const week = find(deliveries, 'h1', 'checkin-week')!;
    const month = find(deliveries, 'h1', 'checkin-month')!;
    assert.deepEqual(
      [week.outcome, week.measurement, month.outcome, month.measurement],
      ['sent', true, 'sent', true],
    );
    const treated = await simulate(holdoutOrder, 40);
    assert.equal(find(treated.deliveries, 'h1', 'checkin-week')?.at, week.at);
    assert.equal(find(treated.deliveries, 'h1', 'checkin-month')?.at, month.at);
    assert.deepEqual(summary.measurement_sent, { treatment: 0, holdout: 2 });
    assert.deepEqual(treated.summary.measurement_sent, { treatment: 2, holdout: 0 });
  });

  test('AFTERCARE_MEASUREMENT=off: the holdout is not asked either', async () => {
    const config = loadConfig({ AFTERCARE_HOLDOUT: '1', AFTERCARE_MEASUREMENT: 'off' });
    const { deliveries, summary } = await simulate(holdoutOrder, 40, config);
    assert.equal(find(deliveries, 'h1', 'checkin-week')?.reason, 'holdout');
    assert.equal(find(deliveries, 'h1', 'checkin-month')?.reason, 'holdout');
    assert.deepEqual(summary.measurement_sent, { treatment: 0, holdout: 0 });
  });
});
