// Matching on both stores: the drain's intake with replies matched first, fed a mixed batch
// (a reply threading to a sent touch point, one by address, a stranger's, a forged id, and an
// ordinary order event), on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { messageIdFor } from '../../src/engine/messageId.js';
import { pendingReplyEvent, type InboundReply } from '../../src/integrations/replies/inbound.js';
import { UNMATCHED_REPLY, matchingReplies } from '../../src/integrations/replies/match.js';
import { T0, DAY } from '../http/harness.js';
import { shopWithSentMail } from './harness.js';

function reply(key: string, overrides: Partial<InboundReply>): DomainEvent {
  return pendingReplyEvent(
    {
      provider: 'postmark',
      key,
      from: 'ada.lovelace@example.com',
      subject: 'Re: Thank you',
      text: 'When will it ship?',
      messageId: `<${key}@mail.example.com>`,
      inReplyTo: [],
      references: [],
      date: T0 + 2 * DAY + 60_000,
      ...overrides,
    },
    T0 + 3 * DAY,
  );
}

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`matching replies (${store})`, () => {
    test('a mixed batch: results in order, only matched replies stored, nobody made up', async () => {
      const { t, sent } = await shopWithSentMail({}, store);
      try {
        const before = (await t.store.reads.counts()).customers;
        const foreignDomain = messageIdFor(sent.touchPointId, 'elsewhere.example');
        const events: DomainEvent[] = [
          reply('r1', { inReplyTo: ['<CAF=x@mail.gmail.com>'], references: ['<x@y>', sent.messageId] }),
          reply('r2', { from: 'stranger@elsewhere.example' }),
          {
            id: 'shopify:LUM-1001:shipped',
            type: 'shipment.shipped',
            at: T0 + DAY,
            customerId: null,
            orderId: 'LUM-1001',
            data: {},
          },
          reply('r3', { messageId: null }),
          // Our format, but for a touch point that does not exist; then by address.
          reply('r4', { inReplyTo: [messageIdFor('reassure:NOPE-1:thank-you', 'lumen.example')] }),
          // Another domain in the id changes nothing: the id and its check part decide.
          reply('r5', { inReplyTo: [foreignDomain], from: 'someone.else@example.org' }),
        ];
        const results = await matchingReplies(t.intake, t.store.reads).ingest(events);
        assert.deepEqual(
          results.map((r) => [r.eventId, r.rejected]),
          [
            ['reply:r1', null],
            ['reply:r2', UNMATCHED_REPLY],
            ['shopify:LUM-1001:shipped', null],
            ['reply:r3', null],
            ['reply:r4', null],
            ['reply:r5', null],
          ],
        );
        const stored = await t.store.reads.listEvents(sent.customerId, ['reply.received']);
        const byId = new Map(stored.map((e) => [e.id, e]));
        assert.deepEqual(
          ['reply:r1', 'reply:r3', 'reply:r4', 'reply:r5'].map((id) => [
            byId.get(id)?.data.matchedBy,
            byId.get(id)?.orderId,
          ]),
          [
            ['references', 'LUM-1001'],
            ['address', null],
            ['address', null],
            ['in-reply-to', 'LUM-1001'],
          ],
        );
        assert.equal(byId.get('reply:r1')?.at, T0 + 2 * DAY + 60_000);
        assert.equal((await t.store.reads.counts()).customers, before);
        // Sent again (a provider's retry): duplicates, nothing new.
        const again = await matchingReplies(t.intake, t.store.reads).ingest([events[0]!]);
        assert.equal(again[0]!.duplicate, true);
      } finally {
        await t.close();
      }
    });
  });
}
