// The overlay intake (intake.ts) against the serial reference (intakeSerial.ts): the same events
// in the same batches must give the same results, the same states to the reducer and the very
// same rows (rowids included). Real reducer on demo data, the contract's test reducer on random
// batches, and the cases that must fall back to the serial path.
// node:test registers tests synchronously; the promises test() returns need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { DomainEvent, Millis } from '../../core/domain.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../../core/playbook/load.js';
import { makeIntakeReducer } from '../../engine/intake.js';
import { readEventsCsv } from '../../integrations/csv/events.js';
import { readOrdersCsv } from '../../integrations/csv/orders.js';
import { writeDemoCsv } from '../../integrations/demo/csv.js';
import { generateDemoOrders } from '../../integrations/demo/generate.js';
import { seededRandom, type Random } from '../../integrations/demo/random.js';
import {
  DAY,
  HOUR,
  T0,
  event as testEvent,
  placedEvent,
  testReducer,
} from '../../../test/store-contract/fixtures.js';
import type { IntakeReducer, IntakeResult, IntakeState } from '../port.js';
import { SqliteIntake } from './intake.js';
import { SqliteSerialIntake } from './intakeSerial.js';
import { migrate } from './schema/migrations.js';

const TABLES = ['customers', 'orders', 'events', 'enrollments', 'touch_points'] as const;

interface Pair {
  overlay: SqliteIntake;
  serial: SqliteSerialIntake;
  a: Database.Database;
  b: Database.Database;
  close(): void;
}

function openPair(prefetch = true): Pair {
  const a = new Database(':memory:');
  const b = new Database(':memory:');
  migrate(a);
  migrate(b);
  return {
    overlay: new SqliteIntake(a, { prefetch }),
    serial: new SqliteSerialIntake(b),
    a,
    b,
    close: () => {
      a.close();
      b.close();
    },
  };
}

function dump(db: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES)
    out[table] = db.prepare(`SELECT rowid AS rowid_, * FROM ${table} ORDER BY rowid`).all();
  return out;
}

/** Both sides run `sql` (a stand-in for the dispatcher claiming and sending between batches). */
function both(pair: Pair, sql: string, ...params: (string | number)[]): void {
  pair.a.prepare(sql).run(...params);
  pair.b.prepare(sql).run(...params);
}

/** A reducer that records every state it is given, so both sides' states can be compared. */
function recording(reduce: IntakeReducer): { reduce: IntakeReducer; states: IntakeState[] } {
  const states: IntakeState[] = [];
  return {
    states,
    reduce: (state, event) => {
      states.push(structuredClone(state));
      return reduce(state, event);
    },
  };
}

function batches<T>(items: T[], random: Random, max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length;) {
    const size = 1 + Math.floor(random.next() * max);
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

async function demoEvents(orders: number, start: Millis): Promise<DomainEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-overlay-'));
  try {
    const ordersPath = join(dir, 'orders.csv');
    const eventsPath = join(dir, 'events.csv');
    await writeDemoCsv(generateDemoOrders({ orders, seed: 'overlay', start }), ordersPath, eventsPath);
    const byOrder = new Map<string, DomainEvent[]>();
    for await (const item of readOrdersCsv(ordersPath)) {
      if (item.kind === 'order') byOrder.set(item.orderId, [...item.events]);
    }
    const loose: DomainEvent[] = [];
    for await (const item of readEventsCsv(eventsPath)) {
      if (item.kind !== 'event') continue;
      const list = item.event.orderId === null ? undefined : byOrder.get(item.event.orderId);
      if (list) list.push(item.event);
      else loose.push(item.event);
    }
    return [...[...byOrder.values()].flat(), ...loose];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Demo events with some sent twice, some about orders nobody placed, and a few customer events. */
function stirred(events: DomainEvent[], random: Random): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (const e of events) {
    out.push(e);
    const roll = random.next();
    if (roll < 0.05) out.push(events[Math.floor(random.next() * events.length)]!);
    else if (roll < 0.07)
      out.push({ ...e, id: `${e.id}:ghost`, type: 'shipment.delayed', orderId: `${e.orderId}-x` });
    else if (roll < 0.09 && e.customer?.email) {
      out.push({
        id: `${e.id}:unsub`,
        type: 'customer.unsubscribed',
        at: e.at + HOUR,
        customerId: null,
        orderId: null,
        customer: { email: e.customer.email },
        data: {},
      });
    } else if (roll < 0.11) {
      out.push({ ...e, id: `${e.id}:late`, type: 'shipment.delayed', at: e.at + DAY, data: {} });
    }
  }
  return out;
}

/** The contract reducer, plus: a customer event with an address moves the customer to it. */
function renaming(reduce: IntakeReducer): IntakeReducer {
  return (state, event) => {
    const changes = reduce(state, event);
    const email = event.customer?.email;
    if (event.type !== 'customer.unsubscribed' || !email || !changes.customer) return changes;
    return { ...changes, customer: { ...changes.customer, email } };
  };
}

function runBoth(
  pair: Pair,
  events: DomainEvent[][],
  reducer: () => IntakeReducer,
  between?: (i: number) => void,
) {
  const left = recording(reducer());
  const right = recording(reducer());
  const results: [IntakeResult[], IntakeResult[]][] = [];
  events.forEach((batch, i) => {
    results.push([pair.overlay.run(batch, left.reduce), pair.serial.run(batch, right.reduce)]);
    between?.(i);
  });
  return { results, left: left.states, right: right.states };
}

for (const prefetch of [true, false]) {
  test(`the real reducer on demo orders gives the same results, states and rows as the serial path (prefetch: ${prefetch})`, async () => {
    const start = Date.UTC(2026, 2, 1);
    const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
    const random = seededRandom('overlay-demo');
    const events = stirred(await demoEvents(250, start), random);
    const pair = openPair(prefetch);
    try {
      let clock = start - 12 * DAY;
      const reducer = () =>
        makeIntakeReducer({
          playbooks: [playbook],
          defaultTimezone: 'America/New_York',
          holdoutShare: 0.1,
          holdoutSalt: 'overlay',
          now: () => clock,
        });
      const run = runBoth(pair, batches(events, random, 80), reducer, (i) => {
        clock += 3 * HOUR;
        // Claim and send some of what is due, as a dispatcher would between batches.
        if (i % 3 === 0) {
          both(
            pair,
            "UPDATE touch_points SET status = 'claimed', attempt = attempt + 1, lease_until = ? " +
              "WHERE status = 'scheduled' AND due_at <= ? AND length(id) % 3 = 0",
            clock + HOUR,
            clock + DAY,
          );
          both(
            pair,
            "UPDATE touch_points SET status = 'sent', outcome_at = ?, lease_until = NULL " +
              "WHERE status = 'claimed' AND length(id) % 2 = 0",
            clock,
          );
        }
      });
      assert.deepStrictEqual(
        run.results.map(([o]) => o),
        run.results.map(([, s]) => s),
      );
      assert.deepStrictEqual(run.left, run.right);
      const rows = dump(pair.a);
      assert.deepStrictEqual(rows, dump(pair.b));
      assert.equal(pair.overlay.fallbacks, 0);
      // The data did exercise the interesting paths.
      const results = run.results.flatMap(([o]) => o);
      assert.ok(results.some((r) => r.duplicate));
      assert.ok(results.some((r) => r.rejected !== null));
      assert.ok(results.some((r) => r.cancelled > 0));
      const statuses = new Set((rows.touch_points as { status: string }[]).map((t) => t.status));
      for (const status of ['scheduled', 'cancelled', 'claimed', 'sent', 'skipped'])
        assert.ok(statuses.has(status), status);
    } finally {
      pair.close();
    }
  });

  test(`the contract reducer on random batches gives the same results, states and rows as the serial path (prefetch: ${prefetch})`, () => {
    const random = seededRandom('overlay-random');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
    const orders = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'];
    const events: DomainEvent[] = [];
    for (let i = 0; i < 600; i++) {
      const orderId = pick(orders);
      // Times repeat, so that customers are created at the same moment (ties go by id).
      const at = T0 + Math.floor(i / 4) * HOUR;
      const id = random.next() < 0.1 && i > 0 ? `e${Math.floor(random.next() * i)}` : `e${i}`;
      const roll = random.next();
      const customerId = pick(['c1', 'c2', 'c3', 'c4', null]);
      // Several customers share an address (lookups by email must pick the earliest one).
      const email = customerId === null ? pick(['a@x.io', 'B@x.io ']) : pick([undefined, 'A@x.io', 'b@x.io']);
      const options = { at, customerId, ...(email === undefined ? {} : { email }) };
      if (roll < 0.3) {
        // Steps due at the same time with the same purpose: their order is the id's.
        const offset = HOUR * (1 + (i % 7));
        const steps =
          random.next() < 0.4
            ? undefined
            : [pick(['thanks', 'z', 'y']), pick(['a', 'b', 'x'])].map((key) => ({ key, offset }));
        events.push(placedEvent(id, orderId, { ...options, ...(steps ? { steps } : {}) }));
      } else if (roll < 0.6) {
        events.push(
          testEvent(id, 'shipment.delayed', orderId, { ...options, data: { delayMs: HOUR * (i % 5) } }),
        );
      } else if (roll < 0.75) events.push(testEvent(id, 'order.cancelled', orderId, options));
      else if (roll < 0.9) events.push(testEvent(id, 'customer.unsubscribed', null, options));
      else events.push(testEvent(id, 'reply.received', pick([null, orderId]), options));
    }
    const pair = openPair(prefetch);
    try {
      const run = runBoth(
        pair,
        batches(events, random, 40),
        () => renaming(testReducer().reduce),
        (i) => {
          if (i % 4 === 0) {
            both(
              pair,
              "UPDATE touch_points SET status = 'claimed', attempt = attempt + 1 WHERE status = 'scheduled' AND length(id) % 2 = ?",
              i % 8 === 0 ? 0 : 1,
            );
          }
        },
      );
      assert.deepStrictEqual(
        run.results.map(([o]) => o),
        run.results.map(([, s]) => s),
      );
      assert.deepStrictEqual(run.left, run.right);
      assert.deepStrictEqual(dump(pair.a), dump(pair.b));
      assert.equal(pair.overlay.fallbacks, 0);
    } finally {
      pair.close();
    }
  });
}

/** One batch on both sides (after `setup` on both); results and rows must agree. */
function sameAsSerial(setup: DomainEvent[][], batch: DomainEvent[], reduce: () => IntakeReducer): Pair {
  const pair = openPair();
  const r = reduce();
  for (const earlier of setup) {
    pair.overlay.run(earlier, r);
    pair.serial.run(earlier, r);
  }
  const before = pair.overlay.fallbacks;
  assert.deepStrictEqual(pair.overlay.run(batch, r), pair.serial.run(batch, r));
  assert.deepStrictEqual(dump(pair.a), dump(pair.b));
  (pair as Pair & { used: number }).used = pair.overlay.fallbacks - before;
  return pair;
}

function fellBack(pair: Pair): number {
  return (pair as Pair & { used: number }).used;
}

test('JSON values SQLite would not give back as they are reach later events as SQLite gives them', () => {
  const base = testReducer().reduce;
  const reduce: IntakeReducer = (state, event) => {
    const changes = base(state, event);
    if (!changes.order) return changes;
    return {
      ...changes,
      order: { ...changes.order, attributes: { gone: undefined, kept: 1, when: new Date(T0), nan: NaN } },
    };
  };
  const seenOverlay = recording(reduce);
  const seenSerial = recording(reduce);
  const pair = openPair();
  try {
    const batch = [placedEvent('e1', 'o1'), testEvent('e2', 'shipment.delayed', 'o1', { at: T0 + 1 })];
    assert.deepStrictEqual(
      pair.overlay.run(batch, seenOverlay.reduce),
      pair.serial.run(batch, seenSerial.reduce),
    );
    assert.deepStrictEqual(seenOverlay.states, seenSerial.states);
    assert.deepStrictEqual(seenOverlay.states[1]?.order?.attributes, {
      kept: 1,
      when: new Date(T0).toISOString(),
      nan: null,
    });
    assert.deepStrictEqual(dump(pair.a), dump(pair.b));
    assert.equal(pair.overlay.fallbacks, 0);
  } finally {
    pair.close();
  }
});

test('a value SQLite would change (a lone surrogate, NaN, -0) sends the batch down the serial path', () => {
  for (const [field, value] of [
    ['firstName', 'Ad\ud800a'],
    ['temperature', -0],
    ['openConcerns', Number.NaN],
  ] as const) {
    const base = testReducer().reduce;
    const reduce = (): IntakeReducer => (state, event) => {
      const changes = base(state, event);
      return changes.customer ? { ...changes, customer: { ...changes.customer, [field]: value } } : changes;
    };
    const failing = field === 'openConcerns';
    const pair = openPair();
    try {
      if (failing) {
        // NaN binds as NULL in a NOT NULL column: both sides refuse the batch the same way.
        const r = reduce();
        assert.throws(() => pair.overlay.run([placedEvent('e1', 'o1')], r), {
          code: 'SQLITE_CONSTRAINT_NOTNULL',
        });
        assert.throws(() => pair.serial.run([placedEvent('e1', 'o1')], r), {
          code: 'SQLITE_CONSTRAINT_NOTNULL',
        });
        assert.deepStrictEqual(dump(pair.a), dump(pair.b));
        continue;
      }
      pair.close();
      const checked = sameAsSerial(
        [],
        [placedEvent('e1', 'o1'), testEvent('e2', 'reply.received', 'o1')],
        reduce,
      );
      assert.equal(fellBack(checked), 1, field);
      checked.close();
    } finally {
      if (pair.a.open) pair.close();
    }
  }
});

test('a new touch point whose id is stored under an order the batch did not read: serial path decides', () => {
  const base = testReducer().reduce;
  // Every order's touch points get ids of order o1's: INSERT OR IGNORE keeps o1's.
  const reduce = (): IntakeReducer => (state, event) => {
    const changes = base(state, event);
    return {
      ...changes,
      insertTouchPoints: changes.insertTouchPoints.map((t) => ({ ...t, id: t.id.replace(/^o\d/, 'o1') })),
    };
  };
  const pair = sameAsSerial(
    [[placedEvent('e1', 'o1')]],
    [placedEvent('e2', 'o2'), placedEvent('e3', 'o3')],
    reduce,
  );
  try {
    assert.equal(fellBack(pair), 1);
  } finally {
    pair.close();
  }
});

test('touch points of an order with no order row (orphans) are seen by later events of the batch', () => {
  const pair = openPair();
  try {
    const { reduce } = testReducer();
    for (const side of [pair.overlay, pair.serial]) side.run([placedEvent('e1', 'o1')], reduce);
    both(pair, "DELETE FROM orders WHERE id = 'o1'");
    both(pair, "DELETE FROM enrollments WHERE order_id = 'o1'");
    const batch = [
      placedEvent('e2', 'o1', { steps: [{ key: 'later', offset: DAY }] }),
      testEvent('e3', 'order.cancelled', 'o1', { at: T0 + HOUR }),
    ];
    const left = recording(reduce);
    const right = recording(reduce);
    assert.deepStrictEqual(pair.overlay.run(batch, left.reduce), pair.serial.run(batch, right.reduce));
    assert.deepStrictEqual(left.states, right.states);
    assert.equal(left.states[1]?.touchPoints.length, 4);
    assert.deepStrictEqual(dump(pair.a), dump(pair.b));
    assert.equal(pair.overlay.fallbacks, 0);
  } finally {
    pair.close();
  }
});

test('an enrollment written under another order leaves the order it was stored under', () => {
  for (const prefetch of [true, false]) {
    const base = testReducer().reduce;
    // A reply about o2 re-homes o1's enrollment to o2 (an upsert by id changes its order).
    const reduce: IntakeReducer = (state, event) => {
      const changes = base(state, event);
      if (event.type !== 'reply.received' || state.order === null) return changes;
      const moved = { ...state.enrollments[0]!, id: 'o1:care', orderId: state.order.id };
      return { ...changes, enrollments: [moved] };
    };
    const pair = openPair(prefetch);
    try {
      const setup = [placedEvent('e1', 'o1'), placedEvent('e2', 'o2')];
      pair.overlay.run(setup, reduce);
      pair.serial.run(setup, reduce);
      const batch = [
        testEvent('e3', 'reply.received', 'o2'),
        testEvent('e4', 'shipment.delayed', 'o1', { at: T0 + HOUR }),
        testEvent('e5', 'reply.received', 'o2'),
      ];
      const left = recording(reduce);
      const right = recording(reduce);
      assert.deepStrictEqual(pair.overlay.run(batch, left.reduce), pair.serial.run(batch, right.reduce));
      assert.deepStrictEqual(left.states, right.states);
      assert.deepStrictEqual(
        left.states[1]?.enrollments.map((e) => e.id),
        [],
      );
      assert.deepStrictEqual(dump(pair.a), dump(pair.b));
      assert.equal(pair.overlay.fallbacks, 0);
    } finally {
      pair.close();
    }
  }
});

test('a stored event row the reducer writes again fails the batch exactly as on the serial path', () => {
  const base = testReducer().reduce;
  // The reducer names its event row after another event: the second batch collides with e1's row.
  const reduce: IntakeReducer = (state, event) => {
    const changes = base(state, event);
    return changes.event && event.id === 'e2'
      ? { ...changes, event: { ...changes.event, id: 'e1' } }
      : changes;
  };
  const pair = openPair();
  try {
    for (const side of [pair.overlay, pair.serial]) side.run([placedEvent('e1', 'o1')], reduce);
    const batch = [testEvent('e3', 'reply.received', 'o1'), testEvent('e2', 'reply.received', 'o1')];
    const failure = { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' };
    assert.throws(() => pair.overlay.run(batch, reduce), failure);
    assert.throws(() => pair.serial.run(batch, reduce), failure);
    assert.equal(pair.overlay.fallbacks, 1);
    assert.deepStrictEqual(dump(pair.a), dump(pair.b));
  } finally {
    pair.close();
  }
});
