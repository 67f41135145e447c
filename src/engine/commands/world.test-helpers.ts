// A small real world for the command tests: an in-memory store, a virtual clock, the built-in
// reassure playbook, the production intake, every command, and a record of wake-ups and of the
// sent copies erasure asked to remove.
import { loadPlaybooks } from '../../app/playbooks.js';
import type { DomainEvent, Millis, Task } from '../../core/domain.js';
import type { Playbook } from '../../core/playbook/types.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { VirtualClock } from '../clock.js';
import { Intake, makeIntakeReducer } from '../intake.js';
import { Listener } from '../listening/listener.js';
import { createCommands, type Commands } from './commands.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0); // Monday 2026-06-01 12:00 UTC
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface CommandWorld {
  store: Store;
  clock: VirtualClock;
  playbooks: readonly Playbook[];
  commands: Commands;
  listener: Listener;
  wakeUps: () => number;
  /** Touch point ids erasure asked to remove copies of, call by call. */
  removedCopies: string[][];
  close(): Promise<void>;
}

export async function commandWorld(): Promise<CommandWorld> {
  const { playbooks, renderer } = await loadPlaybooks(['reassure']);
  const store = await openStore(':memory:');
  const clock = new VirtualClock(T0);
  let wakeUps = 0;
  const removedCopies: string[][] = [];
  const intake = new Intake(
    store.intake,
    makeIntakeReducer({
      playbooks,
      defaultTimezone: 'UTC',
      holdoutShare: 0,
      holdoutSalt: 'test',
      now: () => clock.now(),
    }),
  );
  const listener = new Listener({
    store: store.listening,
    clock,
    businessHours: { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } },
    defaultTimezone: 'UTC',
  });
  const commands = createCommands({
    store,
    clock,
    intake,
    listener,
    playbooks,
    templates: renderer,
    sentCopies: {
      remove: (ids) => {
        removedCopies.push([...ids]);
        return Promise.resolve(ids.length);
      },
    },
    wake: () => {
      wakeUps += 1;
    },
  });
  return {
    store,
    clock,
    playbooks,
    commands,
    listener,
    wakeUps: () => wakeUps,
    removedCopies,
    close: () => store.close(),
  };
}

/** An order placed at `at` by Ada (or `email`), through the API's kind of event. */
export function orderPlaced(
  orderId: string,
  at: Millis = T0,
  email = 'ada.lovelace@example.com',
): DomainEvent {
  return {
    id: `test:${orderId}:placed`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId,
    customer: { email, firstName: 'Ada', lastName: 'Lovelace', timezone: 'Europe/London' },
    order: {
      placedAt: at,
      total: 129.5,
      currency: 'GBP',
      items: [{ sku: 'LAMP-1', productName: 'Desk lamp', category: 'home', quantity: 1, price: 129.5 }],
    },
    data: {},
  };
}

/** Placed at T0, shipped a day later, delivered the day after: a plan with many touch points. */
export function deliveredOrder(orderId: string, email?: string): DomainEvent[] {
  const later = (type: DomainEvent['type'], at: Millis): DomainEvent => ({
    id: `test:${orderId}:${type}`,
    type,
    at,
    customerId: null,
    orderId,
    data: {},
  });
  return [
    orderPlaced(orderId, T0, email),
    later('shipment.shipped', T0 + DAY),
    later('shipment.delivered', T0 + 2 * DAY),
  ];
}

/** A rep's call about `touchPointId`, open and unowned. */
export function openTask(id: string, touchPointId: string, customerId: string, orderId: string): Task {
  return {
    id,
    touchPointId,
    customerId,
    orderId,
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
