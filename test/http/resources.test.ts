// Reading and acting on what the engine holds: customers, orders, timelines, touch points (move,
// cancel, send now), tasks (claim, complete) and playbooks (list, show, validate).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Task } from '../../src/core/domain.js';
import { DAY, HOUR, T0, openTestApp, orderBody, type TestApp } from './harness.js';

let t: TestApp;
let customerId: string;
before(async () => {
  t = await openTestApp();
  await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('r-1') });
  await t.call({
    method: 'POST',
    url: '/api/v1/events',
    payload: {
      id: 'r-1:shipped',
      type: 'shipment.shipped',
      at: new Date(T0 + DAY).toISOString(),
      orderId: 'r-1',
    },
  });
  customerId = (await t.store.reads.findCustomerByEmail('ada.lovelace@example.com'))!.id;
});
after(async () => {
  await t.close();
});

function task(id: string, touchPointId: string): Task {
  return {
    id,
    touchPointId,
    customerId,
    orderId: 'r-1',
    concernId: null,
    kind: 'call',
    title: 'Call Ada',
    script: 'Ask Ada how the lamp works.',
    dueAt: T0 + DAY,
    owner: null,
    status: 'open',
    outcome: null,
    notes: null,
    createdAt: T0,
    completedAt: null,
  };
}

describe('customers and orders', () => {
  test('find by e-mail (any case), read, list orders and events', async () => {
    const found = await t.call({ method: 'GET', url: '/api/v1/customers?email=ADA.Lovelace@example.com' });
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().id, customerId);
    assert.equal(found.json().createdAt, new Date(T0).toISOString());
    const missing = await t.call({ method: 'GET', url: '/api/v1/customers?email=nobody@example.com' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.details.field, 'email');
    const noQuery = await t.call({ method: 'GET', url: '/api/v1/customers' });
    assert.equal(noQuery.statusCode, 400);
    assert.equal(noQuery.json().error.details.field, 'email');

    const orders = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/orders` });
    assert.deepEqual(
      orders.json<{ items: { id: string }[] }>().items.map((o) => o.id),
      ['r-1'],
    );
    assert.equal(orders.json().items[0].shipments[0].carrier, null);
    const events = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/events` });
    assert.deepEqual(
      events.json<{ items: { type: string }[] }>().items.map((e) => e.type),
      ['order.placed', 'shipment.shipped'],
    );
    const shippedOnly = await t.call({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/events?type=shipment.shipped,shipment.delivered`,
    });
    assert.equal(shippedOnly.json().items.length, 1);
    const badType = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/events?type=nope` });
    assert.equal(badType.statusCode, 400);
    assert.match(badType.json().error.details.field, /^type/);
    for (const url of [
      '/api/v1/customers/nobody',
      '/api/v1/customers/nobody/orders',
      '/api/v1/orders/nobody',
    ]) {
      assert.equal((await t.call({ method: 'GET', url })).statusCode, 404, url);
    }
  });
});

describe('touch points', () => {
  test('list, move, cancel, send now; only while scheduled', async () => {
    const list = await t.call({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/touch-points?status=scheduled`,
    });
    const items = list.json().items as { id: string; dueAt: string; status: string }[];
    assert.ok(items.length >= 2, list.body);
    const [first, second] = items;
    const one = await t.call({ method: 'GET', url: `/api/v1/touch-points/${encodeURIComponent(first!.id)}` });
    assert.equal(one.json().id, first!.id);

    const later = new Date(T0 + 10 * DAY).toISOString();
    const moved = await t.call({
      method: 'PATCH',
      url: `/api/v1/touch-points/${encodeURIComponent(first!.id)}`,
      payload: { dueAt: later },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().dueAt, later);

    const wakeUps = t.wakeUps;
    t.clock.advance(HOUR);
    const now = await t.call({
      method: 'POST',
      url: `/api/v1/touch-points/${encodeURIComponent(first!.id)}/send-now`,
    });
    assert.equal(now.statusCode, 200);
    assert.equal(now.json().dueAt, new Date(t.clock.now()).toISOString());
    assert.equal(t.wakeUps, wakeUps + 1, 'send-now wakes the dispatcher');

    const cancelled = await t.call({
      method: 'POST',
      url: `/api/v1/touch-points/${encodeURIComponent(second!.id)}/cancel`,
      payload: { reason: 'customer called' },
    });
    assert.deepEqual(
      [cancelled.json().status, cancelled.json().reason, cancelled.json().reasonDetail],
      ['cancelled', 'cancelled_by_hand', 'customer called'],
    );
    const again = await t.call({
      method: 'PATCH',
      url: `/api/v1/touch-points/${encodeURIComponent(second!.id)}`,
      payload: { dueAt: later },
    });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json().error.details, { status: 'cancelled' });
    const unknown = await t.call({ method: 'POST', url: '/api/v1/touch-points/nope/cancel' });
    assert.equal(unknown.statusCode, 404);
    const badTime = await t.call({
      method: 'PATCH',
      url: `/api/v1/touch-points/${encodeURIComponent(first!.id)}`,
      payload: { dueAt: 'tomorrow' },
    });
    assert.equal(badTime.json().error.details.field, 'dueAt');

    const filtered = await t.call({
      method: 'GET',
      url: '/api/v1/touch-points?orderId=r-1&status=cancelled&limit=5',
    });
    assert.deepEqual(
      filtered.json<{ items: { id: string }[] }>().items.map((tp) => tp.id),
      [second!.id],
    );
    assert.equal((await t.call({ method: 'GET', url: '/api/v1/touch-points?limit=0' })).statusCode, 400);
  });
});

describe('tasks', () => {
  test('list, claim once, complete with an outcome', async () => {
    const [tp] = await t.store.reads.listTouchPoints({ orderId: 'r-1' });
    await t.store.tasks.create(task('task-1', tp!.id));
    const list = await t.call({ method: 'GET', url: '/api/v1/tasks?status=open' });
    assert.deepEqual(
      list.json<{ items: { id: string; script: string }[] }>().items.map((x) => [x.id, x.script]),
      [['task-1', 'Ask Ada how the lamp works.']],
    );
    const claims = await Promise.all(
      ['kim', 'lee'].map((owner) =>
        t.call({ method: 'POST', url: '/api/v1/tasks/task-1/claim', payload: { owner } }),
      ),
    );
    assert.deepEqual(claims.map((c) => c.statusCode).sort(), [200, 409]);
    const winner = claims.find((c) => c.statusCode === 200)!.json();
    assert.equal(winner.status, 'claimed');
    assert.equal('script' in winner, false, 'action answers carry no texts');
    const same = await t.call({
      method: 'POST',
      url: '/api/v1/tasks/task-1/claim',
      payload: { owner: winner.owner },
    });
    assert.equal(same.statusCode, 200, 'claiming again as the owner is fine');

    t.clock.advance(HOUR);
    const done = await t.call({
      method: 'POST',
      url: '/api/v1/tasks/task-1/complete',
      payload: { outcome: 'reached', notes: 'happy, will order again' },
    });
    assert.equal(done.statusCode, 200);
    assert.deepEqual(
      [done.json().status, done.json().completedAt],
      ['done', new Date(t.clock.now()).toISOString()],
    );
    const full = await t.call({ method: 'GET', url: '/api/v1/tasks/task-1' });
    assert.deepEqual([full.json().outcome, full.json().notes], ['reached', 'happy, will order again']);
    const twice = await t.call({
      method: 'POST',
      url: '/api/v1/tasks/task-1/complete',
      payload: { outcome: 'voicemail' },
    });
    assert.equal(twice.statusCode, 409);
    const empty = await t.call({ method: 'POST', url: '/api/v1/tasks/task-1/complete', payload: {} });
    assert.equal(empty.json().error.details.field, 'outcome');
    const unknown = await t.call({
      method: 'POST',
      url: '/api/v1/tasks/task-1/complete',
      payload: { outcome: 'happy' },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.details.field, 'outcome');
    assert.match(
      unknown.json().error.message,
      /reached, voicemail, no_answer, resolved, problem_found, callback/,
    );
    assert.equal(
      (await t.call({ method: 'POST', url: '/api/v1/tasks/nope/claim', payload: { owner: 'x' } })).statusCode,
      404,
    );
  });
});

describe('playbooks', () => {
  test('list and show the running playbooks', async () => {
    const list = await t.call({ method: 'GET', url: '/api/v1/playbooks' });
    assert.deepEqual(
      list.json<{ items: { name: string }[] }>().items.map((p) => p.name),
      ['reassure'],
    );
    const shown = await t.call({ method: 'GET', url: '/api/v1/playbooks/reassure' });
    assert.equal(shown.statusCode, 200);
    assert.ok(shown.json().steps.length >= 3);
    assert.match(shown.json().steps[0].timing.offset, /^-?P/);
    assert.equal('source' in shown.json(), false);
    // The measurement surveys, which the holdout group is asked too, are named as such.
    const steps = shown.json<{ steps: { key: string; measurement: boolean }[] }>().steps;
    assert.deepEqual(
      steps.filter((s) => s.measurement).map((s) => s.key),
      ['checkin-week', 'checkin-month'],
    );
    const missing = await t.call({ method: 'GET', url: '/api/v1/playbooks/nope' });
    assert.equal(missing.json().error.code, 'AFTERCARE_E_PLAYBOOK_NOT_FOUND');
  });

  test('validate YAML or JSON-wrapped YAML: every problem with line, column and field', async () => {
    const good = [
      'name: check',
      'version: 1',
      'steps:',
      '  - key: thanks',
      '    template: thank-you',
      '    channel: email',
      '    purpose: reassurance',
      '    timing: { after: 1d, from: placed }',
      '',
    ].join('\n');
    const valid = await t.call({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      headers: { 'content-type': 'application/yaml' },
      payload: good,
    });
    assert.equal(valid.statusCode, 200, valid.body);
    const answer = valid.json();
    if (!answer.valid) assert.fail(JSON.stringify(answer.issues));
    assert.equal(answer.playbook.name, 'check');

    const bad = good.replace('after: 1d', 'after: soon');
    const invalid = await t.call({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      payload: { yaml: bad },
    });
    assert.equal(invalid.statusCode, 200);
    assert.equal(invalid.json().valid, false);
    const issue = invalid.json().issues[0];
    assert.deepEqual([issue.line, issue.field], [8, 'steps[0].timing.after']);
    assert.match(issue.text, /^request:8:\d+ steps\[0\]\.timing\.after: /);

    const noTemplate = await t.call({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      headers: { 'content-type': 'application/yaml' },
      payload: good.replace('template: thank-you', 'template: no-such-template'),
    });
    assert.deepEqual(
      noTemplate.json<{ issues: { line: number; field: string }[] }>().issues.map((i) => [i.line, i.field]),
      [[5, 'steps[0].template']],
    );

    const broken = await t.call({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      headers: { 'content-type': 'text/yaml' },
      payload: 'name: [unclosed',
    });
    assert.equal(broken.json().valid, false);
    assert.equal(broken.json().issues[0].field, '');
    const wrapped = await t.call({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      payload: { text: good },
    });
    assert.equal(wrapped.statusCode, 400);
  });
});
