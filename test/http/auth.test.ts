// Bearer authentication: every way of being wrong gets the very same 401.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { T0, openTestApp, type TestApp } from './harness.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

describe('API keys on /api/v1', () => {
  test('missing, malformed, unknown, wrong and revoked keys all get the same 401', async () => {
    const revoked = newApiKey('old', T0);
    await t.store.access.createApiKey(revoked.record);
    await t.store.access.revokeApiKey(revoked.record.id, T0 + 1);
    const [, id, secret] = /^ak_([a-z0-9]{12})_(.+)$/.exec(t.key)!;
    const wrongSecret = `ak_${id}_${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}`;
    const unknownId = `ak_zzzzzzzzzzzz_${secret}`;
    const variants: (string | undefined)[] = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from('user:pass').toString('base64')}`,
      'Bearer not-a-key',
      `Bearer ${wrongSecret}`,
      `Bearer ${unknownId}`,
      `Bearer ${revoked.key}`,
      `Bearer ${t.key} extra`,
      `bearer ${t.key.toUpperCase()}`,
    ];
    const answers = [];
    for (const authorization of variants) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/v1/playbooks',
        headers: authorization === undefined ? {} : { authorization },
      });
      answers.push({
        status: response.statusCode,
        body: response.body,
        challenge: response.headers['www-authenticate'],
      });
    }
    for (const answer of answers) assert.deepEqual(answer, answers[0]);
    assert.equal(answers[0]!.status, 401);
    assert.equal(answers[0]!.challenge, 'Bearer realm="aftercare"');
    assert.equal(JSON.parse(answers[0]!.body).error.code, 'AFTERCARE_E_UNAUTHORIZED');
  });

  test('a valid key passes, in any case of the scheme name; a POST without a key parses nothing', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/playbooks',
      headers: { authorization: `bearer ${t.key}` },
    });
    assert.equal(ok.statusCode, 200);
    // Authentication runs before the body is read: garbage without a key is a 401, not a 400.
    const unauthenticated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.equal(unauthenticated.statusCode, 401);
  });

  test('the OpenAPI document, health and metrics need no key', async () => {
    for (const url of ['/api/v1/openapi.json', '/healthz', '/readyz', '/metrics']) {
      assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 200, url);
    }
  });
});
