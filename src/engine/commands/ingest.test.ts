// Ingest: counts what was new, seen before or refused, and wakes the dispatcher only for the new.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { IntakeResult } from '../../store/ports/intake.js';
import { ingestOutcome } from './ingest.js';
import { commandWorld, DAY, orderPlaced, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
beforeEach(async () => {
  w = await commandWorld();
});
afterEach(() => w.close());

describe('ingest command', () => {
  test('new, duplicate and rejected events are counted; only new ones wake the dispatcher', async () => {
    const first = await w.commands.ingest.events([orderPlaced('o-1')]);
    assert.deepEqual([first.accepted, first.duplicates, first.rejected], [1, 0, 0]);
    assert.ok(first.results[0]!.planned > 0);
    assert.equal(w.wakeUps(), 1);

    const unknown = {
      id: 'test:o-9:shipped',
      type: 'shipment.shipped' as const,
      at: T0 + DAY,
      customerId: null,
      orderId: 'o-9',
      data: {},
    };
    const again = await w.commands.ingest.events([orderPlaced('o-1'), unknown]);
    assert.deepEqual([again.accepted, again.duplicates, again.rejected], [0, 1, 1]);
    assert.equal(w.wakeUps(), 1, 'nothing new: nobody woken');
    assert.deepEqual(
      again.results.map((r) => ingestOutcome(r)),
      [{ status: 'duplicate' }, { status: 'rejected', why: 'unknown_order', reason: 'unknown_order' }],
    );
  });

  test('an outcome classifies one result; a reason this version does not know keeps its text', () => {
    const result: IntakeResult = {
      eventId: 'e',
      duplicate: false,
      customerId: 'c',
      orderId: 'o',
      planned: 2,
      cancelled: 0,
      rejected: null,
    };
    assert.deepEqual(ingestOutcome(result), { status: 'accepted' });
    assert.deepEqual(ingestOutcome({ ...result, rejected: 'from_the_future' }), {
      status: 'rejected',
      why: null,
      reason: 'from_the_future',
    });
  });
});
