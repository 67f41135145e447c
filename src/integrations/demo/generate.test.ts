import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectCsvEvents } from '../csv/collect.js';
import { generateDemoOrders } from './generate.js';
import { writeDemoCsv } from './csv.js';
import { orderIn } from './worlds.js';

const start = Date.UTC(2026, 2, 20);
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-demo-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('demo data', () => {
  test('is the same for the same seed and different for another', async () => {
    await writeDemoCsv(generateDemoOrders({ orders: 50, seed: 7, start }), join(dir, 'a.csv'), null);
    await writeDemoCsv(generateDemoOrders({ orders: 50, seed: 7, start }), join(dir, 'b.csv'), null);
    await writeDemoCsv(generateDemoOrders({ orders: 50, seed: 8, start }), join(dir, 'c.csv'), null);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((n) => readFile(join(dir, `${n}.csv`), 'utf8')));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  test('is varied and realistic', () => {
    const orders = [...generateDemoOrders({ orders: 600, seed: 'variety', start })];
    const count = (p: (o: (typeof orders)[number]) => boolean): number => orders.filter(p).length;
    assert.equal(orders.length, 600);
    assert.ok(count((o) => o.customer.segment === 'b2b') > 60);
    assert.ok(count((o) => o.customer.segment === 'b2c') > 300);
    const zones = new Set(orders.map((o) => o.customer.region.timezone));
    for (const zone of [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Sydney',
      'Asia/Kolkata',
      'America/St_Johns',
      '',
    ]) {
      assert.ok(zones.has(zone), zone);
    }
    assert.ok(count((o) => o.total >= 1000) > 20, 'high-value orders');
    assert.ok(count((o) => o.delayedAt !== null) > 20, 'delayed');
    assert.ok(count((o) => o.returnedAt !== null) > 10, 'returned');
    assert.ok(count((o) => o.cancelledAt !== null) > 5, 'cancelled');
    assert.ok(count((o) => o.renewalAt !== null) > 20, 'renewals');
    assert.ok(count((o) => o.lines.length > 1) > 60, 'multi-line orders');
    assert.ok(count((o) => o.kind === 'software' && o.startedAt !== null) > 10, 'software, activated');
    assert.ok(count((o) => o.kind === 'service' && o.startedAt !== null) > 10, 'services, begun');
    assert.ok(count((o) => o.onboardedAt !== null) > 10, 'onboarded');
    assert.ok(count((o) => o.renewalPeriod === 'monthly') > 20, 'monthly plans');
    assert.ok(count((o) => o.renewalPeriod === 'annual') > 5, 'annual plans');
    assert.ok(new Set(orders.map((o) => o.currency)).size >= 5, 'several currencies');
    assert.ok(count((o) => o.answer !== null && o.answer.score <= 6) > 10, 'detractors');
    assert.ok(count((o) => o.answer !== null && o.answer.score >= 9) > 50, 'promoters');
    assert.ok(count((o) => o.answer?.comment === 'arrived broken') > 0, 'comments');
    const emails = orders.map((o) => o.customer.email);
    assert.ok(new Set(emails).size < emails.length, 'some customers buy again');
    // Each world on its own is consistent (the generated order holds both: effect.ts).
    const lived = orders.flatMap((o) => [orderIn(o, 'treatment'), orderIn(o, 'holdout')]);
    for (const o of lived.filter((v) => v !== null)) {
      assert.ok(o.placedAt >= start - 30 * 86_400_000 - 86_400_000 && o.placedAt <= start + 86_400_000);
      if (o.shippedAt !== null) assert.ok(o.shippedAt > o.placedAt);
      if (o.deliveredAt !== null) assert.ok(o.deliveredAt > o.shippedAt!);
      if (o.returnedAt !== null) assert.ok(o.returnedAt > o.deliveredAt!);
      if (o.answer !== null) assert.ok(o.answer.at > o.deliveredAt!, 'answers come after delivery');
      if (o.cancelledAt !== null) assert.equal(o.shippedAt, null);
      if (o.kind !== 'goods') assert.equal(o.shippedAt, null, 'services and software never ship');
      for (const renewal of o.renewals) assert.ok(renewal.at <= start && renewal.next > renewal.at);
    }
  });

  test('reads back through the CSV importer without a single error, in both layouts', async () => {
    const orders = join(dir, 'orders.csv');
    const events = join(dir, 'events.csv');
    const written = await writeDemoCsv(generateDemoOrders({ orders: 300, seed: 1, start }), orders, events);
    const split = await collectCsvEvents({ orders, events });
    assert.deepEqual(split.errors, []);
    assert.equal(split.orders, 300);
    assert.equal(split.events.length, 300 + written.eventRows);
    assert.ok(split.events.some((e) => e.type === 'shipment.delayed'));
    assert.ok(split.events.some((e) => e.type === 'survey.answered' && typeof e.data.score === 'number'));
    for (const type of ['order.started', 'order.onboarded', 'order.renewed'] as const)
      assert.ok(
        split.events.some((e) => e.type === type),
        type,
      );

    const single = join(dir, 'single.csv');
    await writeDemoCsv(generateDemoOrders({ orders: 300, seed: 1, start }), single, null);
    const together = await collectCsvEvents({ orders: single });
    assert.deepEqual(together.errors, []);
    assert.equal(together.orders, 300);
    assert.ok(together.events.some((e) => e.type === 'shipment.delivered'));
    assert.ok(together.events.some((e) => e.type === 'order.returned'));
  });
});
