// A small, real world for engine tests: a SQLite store (temp file), one playbook with template
// files on disk, and helpers to put customers, orders and touch points into the store through
// the Store port's own intake.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Customer, DomainEvent, Enrollment, Millis, Order, TouchPoint } from '../../src/core/domain.js';
import type { Playbook, Step } from '../../src/core/playbook/types.js';
import type { BusinessInfo } from '../../src/core/business.js';
import type { IntakeChanges } from '../../src/store/ports/intake.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { TemplateRenderer } from '../../src/templates/render.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0); // Monday 2026-06-01 12:00 UTC
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export const BUSINESS: BusinessInfo = {
  name: 'Lumen Lamps',
  website: 'https://lumen.example',
  supportEmail: 'help@lumen.example',
  supportPhone: '+1 555 0100',
  escalationName: 'Dana Reyes',
  escalationEmail: 'dana@lumen.example',
  postalAddress: '1 Main St, Springfield',
  fromEmail: 'care@lumen.example',
};

export function step(key: string, overrides: Partial<Step> = {}): Step {
  return {
    key,
    description: null,
    timing: { moment: 'placed', offsetMs: 0, atLocal: null },
    channel: 'email',
    template: 'note',
    purpose: 'reassurance',
    when: null,
    cancelOn: [],
    survey: null,
    owner: null,
    ...overrides,
  };
}

export interface World {
  dir: string;
  store: Store;
  renderer: TemplateRenderer;
  playbook: Playbook;
  close(): Promise<void>;
}

/** `store`: another adapter to run on (migrated here, closed with the world); default a SQLite file. */
export async function openWorld(
  steps: Step[],
  templates: Record<string, string> = {},
  options: { store?: Store; name?: string } = {},
): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-world-'));
  const templateDir = join(dir, 'templates');
  mkdirSync(templateDir);
  const files = {
    note: '---\nsubject: A note for {{ customer.first_name }}\n---\nHello {{ customer.first_name }}, order {{ order.id }}.\n',
    call: '---\ntitle: Call {{ customer.first_name }}\n---\nAsk how order {{ order.id }} arrived.\n',
    ...templates,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(templateDir, `${name}.liquid`), text);
  const store = options.store ?? (await openSqliteStore(join(dir, 'aftercare.db')));
  await store.migrate();
  const playbook: Playbook = {
    name: options.name ?? 'test',
    version: 1,
    description: null,
    exitOn: ['returned', 'cancelled'],
    returnWindowMs: 30 * DAY,
    delayGraceMs: DAY,
    staleAfterMs: 3 * DAY,
    templatesDir: templateDir,
    steps,
    source: join(dir, 'test.yaml'),
  };
  const renderer = new TemplateRenderer({ dirs: [templateDir] });
  return {
    dir,
    store,
    renderer,
    playbook,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function customer(id: string, overrides: Partial<Customer> = {}): Customer {
  return {
    id,
    email: `${id}@example.com`,
    firstName: 'Ana',
    lastName: 'Silva',
    phone: null,
    timezone: 'UTC',
    locale: 'en',
    segment: 'b2c',
    holdout: false,
    temperature: 50,
    openConcerns: 0,
    temperatureReasons: [],
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
    unsubscribedAt: null,
    emailBouncedAt: null,
    attributes: {},
    orderCount: 1,
    lastOrderId: null,
    createdAt: T0,
    ...overrides,
  };
}

export function order(id: string, customerId: string, overrides: Partial<Order> = {}): Order {
  return {
    id,
    customerId,
    number: null,
    shippingAddress: null,
    placedAt: T0 - DAY,
    currency: 'USD',
    total: 120,
    segment: 'b2c',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [{ sku: 'L-1', productName: 'Desk lamp', category: 'lighting', quantity: 1, price: 120 }],
    shipments: [],
    moments: { placed: T0 - DAY },
    attributes: {},
    sequence: 1,
    updatedAt: T0,
    ...overrides,
  };
}

/**
 * Put one customer with one order and touch points for the given steps (all due at `dueAt`)
 * into the store, through intake with a fixed reducer (no planner involved).
 */
export async function seed(
  world: World,
  args: { customer: Customer; order: Order; steps: Step[]; dueAt: Millis; holdout?: boolean },
): Promise<TouchPoint[]> {
  const enrollment: Enrollment = {
    id: `${world.playbook.name}:${args.order.id}`,
    customerId: args.customer.id,
    orderId: args.order.id,
    playbook: world.playbook.name,
    playbookVersion: world.playbook.version,
    holdout: args.holdout ?? args.customer.holdout,
    status: 'active',
    endedReason: null,
    enrolledAt: T0,
  };
  const touchPoints: TouchPoint[] = args.steps.map((s) => ({
    id: `${enrollment.id}:${s.key}`,
    enrollmentId: enrollment.id,
    customerId: args.customer.id,
    orderId: args.order.id,
    playbook: world.playbook.name,
    playbookVersion: world.playbook.version,
    stepKey: s.key,
    channel: s.channel,
    purpose: s.purpose,
    holdout: enrollment.holdout,
    dueAt: args.dueAt,
    status: 'scheduled',
    attempt: 0,
    leaseUntil: null,
    reason: null,
    outcomeAt: null,
    createdAt: T0,
  }));
  const event: DomainEvent = {
    id: `seed:${args.order.id}`,
    type: 'order.placed',
    at: args.order.placedAt,
    customerId: args.customer.id,
    orderId: args.order.id,
    data: {},
  };
  const changes: IntakeChanges = {
    rejected: null,
    customer: args.customer,
    order: args.order,
    event: {
      id: event.id,
      customerId: args.customer.id,
      orderId: args.order.id,
      type: event.type,
      at: event.at,
      data: {},
      receivedAt: T0,
    },
    derivedEvents: [],
    enrollments: [enrollment],
    insertTouchPoints: touchPoints,
    reschedule: [],
    cancel: [],
  };
  await world.store.intake.apply([event], () => changes);
  return touchPoints;
}
