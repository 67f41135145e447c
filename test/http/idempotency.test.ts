// Idempotency-Key on POST: the same key and body get the first answer again; the same key with
// another body is refused; keys belong to one API key; our own failures are not remembered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { IDEMPOTENCY_TTL_MS } from '../../src/http/idempotency.js';
import { T0, openTestApp, orderBody, type TestApp } from './harness.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

function post(url: string, payload: unknown, key: string, headers: Record<string, string> = {}) {
  return t.call({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    payload: JSON.stringify(payload),
  });
}

describe('Idempotency-Key', () => {
  test('the same key and body get the same stored answer, marked as replayed', async () => {
    const first = await post('/api/v1/orders', orderBody('idem-1'), 'k-1');
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await post('/api/v1/orders', orderBody('idem-1'), 'k-1');
    assert.equal(again.statusCode, 201, 'the first status, not the 200 of a duplicate');
    assert.equal(again.body, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.match(String(again.headers['content-type']), /^application\/json/);
    // Without the key the same order is simply a duplicate.
    assert.equal(
      (await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('idem-1') })).statusCode,
      200,
    );
  });

  test('the same key with another body, path or method is refused with its own code', async () => {
    await post('/api/v1/orders', orderBody('idem-2'), 'k-2');
    const otherBody = await post('/api/v1/orders', orderBody('idem-2', { total: 1 }), 'k-2');
    assert.equal(otherBody.statusCode, 422);
    assert.equal(otherBody.json().error.code, 'AFTERCARE_E_IDEMPOTENCY_KEY_REUSED');
    assert.equal(otherBody.json().error.details.field, 'Idempotency-Key');
    const otherPath = await post('/api/v1/events', orderBody('idem-2'), 'k-2');
    assert.equal(otherPath.statusCode, 422);
    assert.equal(await t.store.reads.getOrder('idem-2').then((o) => o?.total), 129.5);
  });

  test('keys are per API key', async () => {
    const other = newApiKey('other', T0);
    await t.store.access.createApiKey(other.record);
    await post('/api/v1/orders', orderBody('idem-3'), 'shared-key');
    const mine = await post('/api/v1/orders', orderBody('idem-3', { total: 5 }), 'shared-key', {
      authorization: `Bearer ${other.key}`,
    });
    assert.equal(mine.statusCode, 200, 'the other key runs its own request (a duplicate order)');
    assert.equal(mine.headers['idempotent-replayed'], undefined);
  });

  test('client errors are remembered too; an invalid key header is a 400', async () => {
    const bad = { ...orderBody('idem-4'), placedAt: 'soon' };
    const first = await post('/api/v1/orders', bad, 'k-4');
    assert.equal(first.statusCode, 400);
    const again = await post('/api/v1/orders', bad, 'k-4');
    assert.equal(again.statusCode, 400);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    for (const key of ['', 'has space', 'x'.repeat(256), 'ümlaut']) {
      const response = await post('/api/v1/orders', orderBody('idem-5'), key);
      assert.equal(response.statusCode, 400, JSON.stringify(key));
      assert.equal(response.json().error.details.field, 'Idempotency-Key');
    }
  });

  test('parallel requests with one key: one runs, the others get its answer or a 409, never a second run', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post('/api/v1/orders', orderBody('idem-6'), 'k-6')),
    );
    const statuses = answers.map((a) => a.statusCode);
    assert.equal(statuses.filter((s) => s === 201).length >= 1, true, statuses.join());
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(),
    );
    const conflicts = answers.filter((a) => a.statusCode === 409);
    for (const conflict of conflicts) assert.equal(conflict.json().error.details.reason, 'in_progress');
    const replayed = answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length;
    assert.equal(statuses.filter((s) => s === 201).length - replayed, 1, 'exactly one request ran');
  });

  test('records expire after 24 hours: the key can then be used for a new request', async () => {
    await post('/api/v1/orders', orderBody('idem-7'), 'k-7');
    t.clock.advance(IDEMPOTENCY_TTL_MS);
    const reused = await post('/api/v1/orders', orderBody('idem-8'), 'k-7');
    assert.equal(reused.statusCode, 201);
    assert.equal(reused.headers['idempotent-replayed'], undefined);
    assert.ok((await t.store.access.purgeIdempotency(t.clock.now() + IDEMPOTENCY_TTL_MS)) >= 1);
  });

  test('GET ignores the header', async () => {
    const response = await t.call({
      method: 'GET',
      url: '/api/v1/playbooks',
      headers: { 'idempotency-key': 'not used' },
    });
    assert.equal(response.statusCode, 200);
  });
});
