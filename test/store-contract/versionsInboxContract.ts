// Contract: playbook versions are kept once and never changed; the webhook inbox hands out its
// oldest entries under a lease, never the same entry to two takers at once, and forgets what
// was acknowledged.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import type { PlaybookSnapshot } from '../../src/store/ports/playbookVersions.js';
import { MINUTE, T0, placedEvent, withStore, type OpenStore } from './fixtures.js';

function snapshot(version: number, fingerprint: string): PlaybookSnapshot {
  return {
    name: 'care',
    version,
    fingerprint,
    definition: JSON.stringify({ name: 'care', version, steps: [] }),
    templates: { note: `---\nsubject: v${version}\n---\nHello {{ customer.first_name }}\n` },
    registeredAt: T0 + version,
  };
}

export function versionsInboxContract(open: OpenStore): void {
  test('a playbook version is kept the first time and never changed', () =>
    withStore(open, async (store) => {
      assert.equal(await store.playbooks.getPlaybookVersion('care', 1), null);
      assert.deepEqual(await store.playbooks.registerPlaybookVersion(snapshot(1, 'a')), snapshot(1, 'a'));
      // The same name and version again: what is stored comes back, unchanged.
      assert.deepEqual(await store.playbooks.registerPlaybookVersion(snapshot(1, 'b')), snapshot(1, 'a'));
      await store.playbooks.registerPlaybookVersion(snapshot(2, 'c'));
      assert.deepEqual(await store.playbooks.getPlaybookVersion('care', 2), snapshot(2, 'c'));
      assert.deepEqual(await store.playbooks.listPlaybookVersions(), [
        { name: 'care', version: 1, fingerprint: 'a', registeredAt: T0 + 1 },
        { name: 'care', version: 2, fingerprint: 'c', registeredAt: T0 + 2 },
      ]);
    }));

  test('the inbox hands out its oldest entries under a lease, once at a time, until acknowledged', () =>
    withStore(open, async (store) => {
      // As JSON carries them (no undefined members): what an inbox can give back.
      const events = [1, 2, 3, 4, 5].map(
        (i) => JSON.parse(JSON.stringify(placedEvent(`e${i}`, `o${i}`))) as DomainEvent,
      );
      await store.inbox.appendInbox(
        events.slice(0, 3).map((event) => ({ event, source: 'shopify' })),
        T0,
      );
      await store.inbox.appendInbox(
        events.slice(3).map((event) => ({ event, source: 'stripe' })),
        T0 + 1,
      );
      assert.equal(await store.inbox.inboxDepth(), 5);

      const first = await store.inbox.takeInbox(2, T0, T0 + MINUTE);
      assert.deepEqual(
        first.map((e) => [e.event, e.source, e.receivedAt]),
        [
          [events[0], 'shopify', T0],
          [events[1], 'shopify', T0],
        ],
      );
      assert.ok(first[0]!.seq < first[1]!.seq);
      // Held entries go to nobody else while their lease holds.
      const second = await store.inbox.takeInbox(10, T0, T0 + MINUTE);
      assert.deepEqual(
        second.map((e) => e.event.id),
        ['e3', 'e4', 'e5'],
      );
      assert.deepEqual(await store.inbox.takeInbox(10, T0 + 1, T0 + MINUTE), []);

      await store.inbox.ackInbox(first.map((e) => e.seq));
      assert.equal(await store.inbox.inboxDepth(), 3);
      // Acknowledging twice is harmless.
      await store.inbox.ackInbox(first.map((e) => e.seq));
      // Once the lease is over (a drain crashed), the entries are handed out again.
      const again = await store.inbox.takeInbox(10, T0 + MINUTE, T0 + 2 * MINUTE);
      assert.deepEqual(
        again.map((e) => e.seq),
        second.map((e) => e.seq),
      );
      await store.inbox.ackInbox(again.map((e) => e.seq));
      assert.equal(await store.inbox.inboxDepth(), 0);
      // Sequence numbers are never reused.
      await store.inbox.appendInbox([{ event: events[0]!, source: 'shopify' }], T0 + 3);
      const [late] = await store.inbox.takeInbox(1, T0 + 3, T0 + MINUTE);
      assert.ok(late!.seq > again.at(-1)!.seq);
    }));
}
