import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressOf, keyOf, messageIdsIn, pendingReplyEvent, pendingReplyOf, receive } from './inbound.js';

test('addresses and Message-IDs as header values carry them', () => {
  assert.equal(addressOf('"Weber, Petra" <Petra.Weber@Example.DE>'), 'petra.weber@example.de');
  assert.equal(addressOf('jordan@northwind.example'), 'jordan@northwind.example');
  assert.equal(addressOf('undisclosed-recipients:;'), null);
  assert.deepEqual(messageIdsIn('<a@b.example>\r\n <c@d.example>'), ['<a@b.example>', '<c@d.example>']);
  assert.deepEqual(messageIdsIn('a@b.example'), ['<a@b.example>']);
  assert.deepEqual(messageIdsIn(''), []);
});

test('event keys: short printable ids as they are, anything else hashed', () => {
  assert.equal(keyOf('<20260603.1@mail.example.com>', 'raw'), '20260603.1@mail.example.com');
  assert.match(keyOf('x'.repeat(151), 'raw'), /^[0-9a-f]{64}$/);
  assert.match(keyOf(null, 'raw'), /^[0-9a-f]{64}$/);
  assert.match(keyOf('has space', 'raw'), /^[0-9a-f]{64}$/);
});

test('a waiting reply survives the inbox (JSON) and a damaged entry is read without throwing', () => {
  const received = receive({
    provider: 'mailgun',
    key: 'k1',
    headers: new Map(),
    from: 'Ada <ada.lovelace@example.com>',
    subject: 'Re: Thanks',
    text: 'All good',
    messageId: '<k1@mail.example.com>',
    inReplyTo: '<ours@lumen.example>',
    references: '<first@lumen.example> <second@lumen.example>',
    date: Date.UTC(2026, 5, 3),
  });
  assert.equal(received.kind, 'reply');
  if (received.kind !== 'reply') return;
  // The most recent reference first.
  assert.deepEqual(received.reply.references, ['<second@lumen.example>', '<first@lumen.example>']);
  const event = JSON.parse(
    JSON.stringify(pendingReplyEvent(received.reply, Date.UTC(2026, 5, 4))),
  ) as ReturnType<typeof pendingReplyEvent>;
  assert.deepEqual(pendingReplyOf(event), received.reply);
  // A Date header in the future is not believed.
  assert.equal(pendingReplyEvent(received.reply, Date.UTC(2026, 5, 1)).at, Date.UTC(2026, 5, 1));
  const damaged = { ...event, data: { inbound: { from: 42, inReplyTo: 'not a list' } } };
  assert.deepEqual(pendingReplyOf(damaged)?.inReplyTo, []);
  // Replies posted with their customer (API, Standard Webhooks) are not waiting ones.
  assert.equal(pendingReplyOf({ ...event, customerId: 'cus_1' }), null);
  assert.equal(pendingReplyOf({ ...event, data: { text: 'hello' } }), null);
});
