// GDPR: a customer's export holds everything about them; after erasure it holds nothing
// personal, the outbox copies of their messages are gone, and they are never mailed again.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outboxFileName } from '../../src/channels/outbox.js';
import { suppressionKey } from '../../src/store/suppression.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody, type TestApp } from './harness.js';

const PERSONAL = ['ada', 'lovelace', '7946', 'desk lamp', '00340434161094042557', 'flat 3', 'was thrilled'];

let t: TestApp;
let customerId: string;
before(async () => {
  t = await openTestApp();
  await t.call({
    method: 'POST',
    url: '/api/v1/orders',
    payload: orderBody('p-1', { attributes: { gift_note: 'for Ada, flat 3' } }),
  });
  await t.call({
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      id: 'p-1:shipped',
      type: 'shipment.shipped',
      at: new Date(T0 + DAY).toISOString(),
      orderId: 'p-1',
      shipment: { carrier: 'DHL', trackingNumber: '00340434161094042557' },
    },
  });
  await t.call({
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      id: 'p-1:reply',
      type: 'reply.received',
      at: new Date(T0 + DAY).toISOString(),
      orderId: 'p-1',
      data: { text: 'Ada Lovelace was thrilled' },
    },
  });
  customerId = (await t.store.reads.findCustomerByEmail('ada.lovelace@example.com'))!.id;
});
after(async () => {
  await t.close();
});

describe('export and erasure', () => {
  test('the export holds the customer, orders, enrollments, events, touch points and tasks', async () => {
    const response = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/export` });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-disposition']), /attachment/);
    const held = response.json<{
      customer: { email: string };
      orders: { id: string }[];
      events: unknown[];
      touchPoints: unknown[];
      enrollments: { playbook: string }[];
    }>();
    assert.equal(held.customer.email, 'ada.lovelace@example.com');
    assert.deepEqual(
      held.orders.map((o) => o.id),
      ['p-1'],
    );
    assert.equal(held.events.length, 3);
    assert.ok(held.touchPoints.length >= 2);
    assert.equal(held.enrollments[0]?.playbook, 'reassure');
    assert.equal((await t.call({ method: 'GET', url: '/api/v1/customers/nobody/export' })).statusCode, 404);
  });

  test('erasure leaves nothing personal, removes outbox copies, and keeps them from ever being mailed', async () => {
    // Send what is due by now (thank-you, shipping notice) into the outbox.
    t.clock.set(T0 + 2 * DAY);
    const { dispatcher, channels } = dispatcherFor(t);
    const stats = await dispatcher.runUntilIdle();
    assert.ok(stats.sent >= 1, JSON.stringify(stats));
    const sent = await t.store.reads.listTouchPoints({ customerId, status: 'sent' });
    const files = sent.map((tp) => join(t.config.outboxDir, outboxFileName(tp.id)));
    for (const file of files) assert.ok(existsSync(file), file);
    assert.match((await readFile(files[0]!, 'utf8')).toLowerCase(), /ada/);
    await t.store.tasks.create({
      id: 'p-task',
      touchPointId: 'p-task-tp',
      customerId,
      orderId: 'p-1',
      concernId: null,
      kind: 'call',
      title: 'Call Ada Lovelace',
      script: 'Ada was thrilled; ask for a review.',
      dueAt: T0 + 3 * DAY,
      owner: null,
      status: 'open',
      outcome: null,
      notes: null,
      createdAt: T0,
      completedAt: null,
    });

    const erased = await t.call({ method: 'DELETE', url: `/api/v1/customers/${customerId}` });
    assert.equal(erased.statusCode, 200, erased.body);
    const report = erased.json();
    assert.equal(report.customerId, customerId);
    assert.equal(report.suppressed, true);
    assert.equal(report.outboxFilesRemoved, files.length);
    assert.equal(report.tasks, 1);
    for (const file of files) assert.equal(existsSync(file), false, file);
    const left = existsSync(t.config.outboxDir) ? await readdir(t.config.outboxDir) : [];
    assert.deepEqual(left, []);

    // Neither the database file nor its WAL holds them any more (secure_delete, checkpoint).
    for (const file of ['aftercare.db', 'aftercare.db-wal'].map((name) => join(t.dir, name))) {
      const bytes = existsSync(file) ? (await readFile(file)).toString('latin1').toLowerCase() : '';
      for (const personal of ['ada.lovelace@example.com', 'lovelace', '7946 0018', 'was thrilled'])
        assert.equal(bytes.includes(personal), false, `"${personal}" is still in ${file}`);
    }

    const exported = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/export` });
    assert.equal(exported.statusCode, 200);
    const text = exported.body.toLowerCase();
    for (const personal of PERSONAL)
      assert.equal(text.includes(personal), false, `"${personal}" survived: ${text}`);
    assert.equal(exported.json().customer.email, null);
    const touchPoints = exported.json<{ touchPoints: { status: string }[] }>().touchPoints;
    assert.ok(touchPoints.every((tp) => tp.status !== 'scheduled'));
    assert.equal(
      (await t.call({ method: 'GET', url: '/api/v1/customers?email=ada.lovelace@example.com' })).statusCode,
      404,
    );
    assert.deepEqual(
      await t.store.consent.suppressed(['ada.lovelace@example.com']),
      new Set(['ada.lovelace@example.com']),
    );
    assert.match(suppressionKey('ada.lovelace@example.com'), /^[0-9a-f]{64}$/);

    // Replayed provider events change nothing; a new order from the same address is refused,
    // and nothing is ever mailed to them again.
    const replay = await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('p-1') });
    assert.equal(replay.json().results[0].status, 'duplicate');
    const again = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('p-2', { placedAt: new Date(T0 + 2 * DAY).toISOString() }),
    });
    assert.equal(again.statusCode, 422, again.body);
    assert.equal(again.json().error.code, 'AFTERCARE_E_ERASED');
    assert.equal(await t.store.reads.getOrder('p-2'), null);
    t.clock.set(T0 + 40 * DAY);
    const { dispatcher: later, outcomes } = dispatcherFor(t);
    await later.runUntilIdle();
    assert.deepEqual(
      outcomes.filter((o) => o.touchPoint.customerId === customerId),
      [],
    );
    await channels.close();

    // Erasing twice is harmless; an unknown customer is a 404.
    assert.equal(
      (await t.call({ method: 'DELETE', url: `/api/v1/customers/${customerId}` })).statusCode,
      200,
    );
    assert.equal((await t.call({ method: 'DELETE', url: '/api/v1/customers/nobody' })).statusCode, 404);
  });
});
