// What the reliability tests and the PostgreSQL benchmarks run on: a small playbook of e-mails
// rendered with the default templates, policies that never defer (no quiet hours, no cap), and
// order.placed events in bulk. The real reducer, dispatcher and renderer do the work.
import type { BusinessInfo } from '../../src/core/business.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import type { Playbook, Step } from '../../src/core/playbook/types.js';
import { DEFAULT_POLICY_CONFIG } from '../../src/core/policy/defaults.js';
import type { PolicyConfig } from '../../src/core/policy/types.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import type { IntakeReducer } from '../../src/store/ports/intake.js';
import { TemplateRenderer } from '../../src/templates/render.js';

const DAY = 86_400_000;

export const BUSINESS: BusinessInfo = {
  name: 'Lumen Lamps',
  website: 'https://lumen.example',
  supportEmail: 'help@lumen.example',
  supportPhone: null,
  escalationName: 'Dana Reyes',
  escalationEmail: 'dana@lumen.example',
  postalAddress: '1 Main St, Springfield',
  fromEmail: 'care@lumen.example',
};

/** Quiet hours off (start = end) and a cap no test reaches: every due touch point is sent now. */
export const POLICY: PolicyConfig = {
  ...DEFAULT_POLICY_CONFIG,
  defaultTimezone: 'UTC',
  quietHours: { start: { hour: 0, minute: 0 }, end: { hour: 0, minute: 0 } },
  frequencyCap: { max: 1_000_000, windowMs: DAY },
};

const TEMPLATES = ['thank-you', 'order-shipped', 'checkin-week'];

function step(index: number): Step {
  return {
    key: `s${index + 1}`,
    description: null,
    // Due as soon as the order is placed: every step is dispatch work right away.
    timing: { moment: 'placed', offsetMs: index * 1_000, atLocal: null },
    channel: 'email',
    template: TEMPLATES[index % TEMPLATES.length]!,
    purpose: 'transactional',
    when: null,
    cancelOn: [],
    survey: null,
    owner: null,
  };
}

export function testPlaybook(steps: number): Playbook {
  return {
    name: 'reliability',
    version: 1,
    description: null,
    exitOn: ['returned', 'cancelled'],
    returnWindowMs: 30 * DAY,
    delayGraceMs: DAY,
    staleAfterMs: 365 * DAY,
    steps: Array.from({ length: steps }, (_, i) => step(i)),
    source: 'test:reliability',
    templatesDir: null,
  };
}

export function renderer(): TemplateRenderer {
  return new TemplateRenderer({ dirs: [] });
}

export function reducer(playbook: Playbook, now: () => Millis = Date.now): IntakeReducer {
  return makeIntakeReducer({
    playbooks: [playbook],
    defaultTimezone: 'UTC',
    holdoutShare: 0,
    holdoutSalt: 'reliability',
    now,
  });
}

/** `count` order.placed events, numbered from `from`, placed at `at`; one customer per order. */
export function orderEvents(count: number, at: Millis, from = 0, prefix = 'o'): DomainEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `${prefix}${i}:placed`,
      type: 'order.placed',
      at,
      customerId: `${prefix}c${i}`,
      orderId: `${prefix}${i}`,
      customer: {
        customerId: `${prefix}c${i}`,
        email: `customer${i}@example.com`,
        firstName: 'Ada',
        lastName: `Number${i}`,
        timezone: 'Europe/Berlin',
      },
      order: {
        placedAt: at,
        currency: 'EUR',
        total: 40 + (i % 50),
        items: [
          { sku: `sku-${i % 20}`, productName: 'Desk lamp', category: 'lamps', quantity: 1, price: 40 },
        ],
      },
      data: {},
    };
  });
}
