// Four realistic customers for the locale tests: a French customer in Paris with a euro order of
// two items, a Spanish customer with one item, a German business customer, and an English one
// paying in yen; and a context for any default template as the dispatcher would build it.
import { loadTips } from '../../src/config/tips.js';
import { EMPTY_TIP_CATALOGUE } from '../../src/core/education/series.js';
import { sampleTip, type ContextSettings } from '../../src/cli/templateSample.js';
import { readFileSync } from 'node:fs';
import type { BusinessInfo } from '../../src/core/business.js';
import type { Customer, LineItem, Order, TouchPoint } from '../../src/core/domain.js';
import { parsePlaybook } from '../../src/core/playbook/parse.js';
import type { Step } from '../../src/core/playbook/types.js';
import { packagePath } from '../../src/templates/paths.js';
import { templateContext, type TemplateContext } from '../../src/templates/render.js';

export const T0 = Date.UTC(2026, 5, 1, 14);
export const DAY = 86_400_000;

export const business: BusinessInfo = {
  name: 'Aftercare Demo Shop',
  website: 'https://shop.example',
  supportEmail: 'help@shop.example',
  supportPhone: '+33 1 23 45 67 89',
  escalationName: 'Dana Schmidt',
  escalationEmail: 'dana@shop.example',
  postalAddress: 'Aftercare Demo Shop, 12 rue de la Paix, 75002 Paris, France',
  fromEmail: 'care@shop.example',
};

function customer(overrides: Partial<Customer>): Customer {
  return {
    id: 'c1',
    email: 'customer@example.com',
    firstName: null,
    lastName: null,
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
    createdAt: T0,
    orderCount: 1,
    lastOrderId: null,
    ...overrides,
  };
}

const item = (sku: string, productName: string, price: number, quantity = 1): LineItem => ({
  sku,
  productName,
  category: null,
  quantity,
  price,
});

function order(overrides: Partial<Order>): Order {
  return {
    id: 'shop:1',
    customerId: 'c1',
    number: '#1042',
    shippingAddress: null,
    sequence: 1,
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    placedAt: T0,
    currency: 'EUR',
    total: 1234.5,
    segment: 'b2c',
    items: [],
    shipments: [
      {
        id: 's1',
        carrier: 'Colissimo',
        trackingNumber: '6A123',
        trackingUrl: 'https://track.example/6A123',
        shippedAt: T0 + DAY,
        deliveredAt: T0 + 3 * DAY,
        status: 'delivered',
      },
    ],
    moments: {
      placed: T0,
      shipped: T0 + DAY,
      promised: T0 + 4 * DAY,
      delivered: T0 + 3 * DAY,
      renewal: T0 + 365 * DAY,
    },
    attributes: { renewal_amount: 1234.5 },
    updatedAt: T0,
    ...overrides,
  };
}

export interface Buyer {
  label: string;
  customer: Customer;
  order: Order;
  zone: string;
}

export const FRENCH: Buyer = {
  label: 'French customer in Paris, EUR, 2 items',
  customer: customer({ firstName: 'Jeanne', lastName: 'Moreau', locale: 'fr-FR', timezone: 'Europe/Paris' }),
  order: order({ items: [item('LAMP', 'Lampe de bureau', 1000), item('BULB', 'Ampoule', 234.5)] }),
  zone: 'Europe/Paris',
};

export const SPANISH: Buyer = {
  label: 'Spanish customer, 1 item',
  customer: customer({ firstName: 'Lucía', lastName: 'García', locale: 'es-ES', timezone: 'Europe/Madrid' }),
  order: order({ items: [item('LAMP', 'Lámpara de escritorio', 1234.5)] }),
  zone: 'Europe/Madrid',
};

export const GERMAN_B2B: Buyer = {
  label: 'German business customer',
  customer: customer({
    firstName: 'Jonas',
    lastName: 'Müller',
    locale: 'de-DE',
    timezone: 'Europe/Berlin',
    segment: 'b2b',
  }),
  order: order({
    segment: 'b2b',
    items: [
      item('PANEL', 'Lichtpaneel', 100, 10),
      item('CABLE', 'Kabel', 10, 2),
      item('MOUNT', 'Halterung', 14.5),
    ],
  }),
  zone: 'Europe/Berlin',
};

export const ENGLISH_JPY: Buyer = {
  label: 'English customer, JPY order',
  customer: customer({
    firstName: 'Ada',
    lastName: 'Lovelace',
    locale: 'en-US',
    timezone: 'America/New_York',
  }),
  order: order({ currency: 'JPY', total: 12000, items: [item('LAMP', 'Desk lamp', 12000)] }),
  zone: 'America/New_York',
};

export const BUYERS: readonly Buyer[] = [FRENCH, SPANISH, GERMAN_B2B, ENGLISH_JPY];

const path = packagePath('playbooks/reassure.yaml');
const parsed = parsePlaybook(readFileSync(path, 'utf8'), path);
if (!parsed.ok) throw new Error('playbooks/reassure.yaml does not parse');
export const reassure = parsed.playbook;

/** The step of reassure.yaml that uses `template`, or one made up for templates it does not use. */
export function stepFor(template: string): Step {
  return (
    reassure.steps.find((s) => s.template === template) ?? { ...reassure.steps[0]!, key: template, template }
  );
}

export function contextFor(buyer: Buyer, template: string, locale?: string): TemplateContext {
  const step = stepFor(template);
  const touchPoint = {
    id: 'tp1',
    dueAt: T0 + 2 * DAY,
    purpose: step.purpose,
    channel: step.channel,
  } as TouchPoint;
  const customer = locale === undefined ? buyer.customer : { ...buyer.customer, locale };
  const context = templateContext({
    customer,
    order: buyer.order,
    touchPoint,
    step,
    business,
    links: {
      unsubscribe: 'https://care.example/u/abc',
      plan: 'https://care.example/plan/abc',
      help: 'https://care.example/help',
      ...(step.survey !== null ? { survey: 'https://care.example/s/abc' } : {}),
      ...(step.tip !== undefined ? { tips_done: 'https://care.example/tips/abc' } : {}),
    },
    now: T0 + 4 * DAY,
    zone: buyer.zone,
  });
  // A tip step's tip, from the built-in samples (the dispatcher reads the configured series).
  if (step.tip !== undefined) context['tip'] = sampleTip(step.tip, buyer.order, customer, SAMPLE_TIPS);
  return context;
}

const SAMPLE_TIPS = { tips: loadTips({}, []) ?? EMPTY_TIP_CATALOGUE } as ContextSettings;
