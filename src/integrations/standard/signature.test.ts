import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { fixture } from '../../../test/fixtures/webhooks/fixtures.js';
import { standardKey, verifyStandard } from './signature.js';

// 32 bytes in base64: the form Standard Webhooks secrets take.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = standardKey(SECRET)!;

describe('standard webhooks signature (checked against the standardwebhooks package)', () => {
  const body = fixture('standard-order-placed');
  const now = Date.parse('2026-06-01T07:15:30Z');
  const signed = (id: string, at: number, secret = SECRET, payload: Buffer = body) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, new Date(at), payload.toString('utf8')),
  });

  test('a signature made by the package verifies here', () => {
    assert.deepEqual(verifyStandard(body, signed('msg_1', now), KEY, now), { ok: true });
  });

  test('several signatures (key rotation): any v1 match is enough', () => {
    const headers = signed('msg_1', now);
    const other = new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).sign(
      'msg_1',
      new Date(now),
      body.toString(),
    );
    headers['webhook-signature'] = `${other} ${headers['webhook-signature']}`;
    assert.equal(verifyStandard(body, headers, KEY, now).ok, true);
  });

  test('wrong secret, tampered body, other id, missing headers and stale timestamps are refused', () => {
    const otherSecret = 'whsec_' + Buffer.alloc(32, 1).toString('base64');
    assert.deepEqual(verifyStandard(body, signed('msg_1', now, otherSecret), KEY, now), {
      ok: false,
      reason: 'bad_signature',
    });
    const tampered = Buffer.from(body.toString().replace('4820.5', '48.5'));
    assert.equal(verifyStandard(tampered, signed('msg_1', now), KEY, now).ok, false);
    const replayedUnderNewId = { ...signed('msg_1', now), 'webhook-id': 'msg_2' };
    assert.equal(verifyStandard(body, replayedUnderNewId, KEY, now).ok, false);
    const { 'webhook-signature': _omit, ...unsigned } = signed('msg_1', now);
    assert.deepEqual(verifyStandard(body, unsigned, KEY, now), { ok: false, reason: 'missing_signature' });
    assert.deepEqual(verifyStandard(body, signed('msg_1', now - 301_000), KEY, now), {
      ok: false,
      reason: 'stale_timestamp',
    });
    assert.deepEqual(verifyStandard(body, signed('msg_1', now + 301_000), KEY, now), {
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  test('what verifies here verifies with the package too', () => {
    const headers = signed('msg_9', Date.now());
    assert.equal(verifyStandard(body, headers, KEY, Date.now()).ok, true);
    assert.doesNotThrow(() => new Webhook(SECRET).verify(body.toString(), headers));
  });
});
