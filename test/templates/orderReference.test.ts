// Customers know their order by its number (#1042), not by our internal key
// (shopify:5940139491234). Every default template, e-mail or task, shows the number, or the day
// the order was placed when there is none, and never the internal id. Letters and gifts show
// the delivery address to write on the envelope.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { BusinessInfo } from '../../src/core/business.js';
import type { Customer, Order, ShippingAddress, TouchPoint } from '../../src/core/domain.js';
import { parsePlaybook } from '../../src/core/playbook/parse.js';
import type { Step } from '../../src/core/playbook/types.js';
import { templateNamesIn } from '../../src/templates/load.js';
import { defaultTemplatesDir, packagePath } from '../../src/templates/paths.js';
import { TemplateRenderer, templateContext } from '../../src/templates/render.js';

const T0 = Date.UTC(2026, 5, 1, 14);
const DAY = 86_400_000;
const INTERNAL = '5940139491234';

const business: BusinessInfo = {
  name: 'Northwind Goods',
  website: 'https://northwind.example',
  supportEmail: 'help@northwind.example',
  supportPhone: '+1 206 555 0100',
  escalationName: 'Dana Schmidt',
  escalationEmail: 'dana@northwind.example',
  postalAddress: 'Northwind Goods, 410 Terry Ave N, Seattle, WA 98109, USA',
  fromEmail: 'care@northwind.example',
};

const customer: Customer = {
  id: 'c1',
  email: 'jane.cooper@example.com',
  firstName: 'Jane',
  lastName: 'Cooper',
  phone: '+12065550142',
  timezone: 'America/Los_Angeles',
  locale: 'en-US',
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
};

const JANE: ShippingAddress = {
  name: 'Jane Cooper',
  company: null,
  line1: '1600 Pike Pl',
  line2: 'Apt 5',
  city: 'Seattle',
  region: 'WA',
  postalCode: '98101',
  country: 'US',
  phone: null,
};

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: `shopify:${INTERNAL}`,
    customerId: 'c1',
    number: '#1042',
    shippingAddress: JANE,
    sequence: 1,
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    placedAt: T0,
    currency: 'USD',
    total: 620,
    segment: 'b2c',
    items: [],
    shipments: [],
    moments: { placed: T0, shipped: T0 + DAY, delivered: T0 + 3 * DAY, renewal: T0 + 365 * DAY },
    attributes: {},
    updatedAt: T0,
    ...overrides,
  };
}

const path = packagePath('playbooks/reassure.yaml');
const parsed = parsePlaybook(readFileSync(path, 'utf8'), path);
assert.ok(parsed.ok);
const steps = parsed.playbook.steps;
const renderer = new TemplateRenderer({ dirs: [] });

function render(
  name: string,
  o: Order,
  locale = customer.locale,
): { subject: string; title: string; text: string; html: string } {
  const step: Step = steps.find((s) => s.template === name) ?? { ...steps[0]!, key: name, template: name };
  const touchPoint = { id: 'e1:step', dueAt: T0, purpose: step.purpose, channel: step.channel } as TouchPoint;
  const out = renderer.render(
    name,
    templateContext({
      customer: { ...customer, locale },
      order: o,
      touchPoint,
      step,
      business,
      links: {
        unsubscribe: 'https://care.northwind.example/u/abc',
        plan: 'https://care.northwind.example/p/abc',
      },
      now: T0 + 4 * DAY,
      zone: 'America/Los_Angeles',
    }),
  );
  return { subject: out.subject, title: out.title, text: out.text, html: out.html ?? '' };
}

const names = templateNamesIn(defaultTemplatesDir());

describe('the order as the customer knows it', () => {
  test('no default template shows the internal order id, with or without a number, in any locale', () => {
    assert.ok(names.length >= 20, `only ${names.length} templates found`);
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'es-ES']) {
      for (const o of [order(), order({ number: null })]) {
        for (const name of names) {
          const out = render(name, o, locale);
          for (const [part, text] of Object.entries(out)) {
            assert.equal(
              text.includes(INTERNAL),
              false,
              `${name} (${locale}) ${part} shows the internal id: ${text}`,
            );
          }
        }
      }
    }
  });

  test('the number where the order is named; the day it was placed when there is none', () => {
    assert.equal(render('cancel-followup', order()).subject, 'Your order #1042 has been cancelled');
    assert.match(
      render('cancel-followup', order()).text,
      /your order #1042 \(\$620\.00\) has been cancelled/,
    );
    assert.equal(
      render('cancel-followup', order({ number: null })).subject,
      'Your order of June 1, 2026 has been cancelled',
    );
    assert.equal(render('return-followup', order()).subject, 'Your return for order #1042');
    assert.equal(render('arrival-call', order()).title, 'Call Jane Cooper to check order #1042 arrived well');
    assert.match(render('arrival-call', order()).text, /^Order #1042 · \$620\.00 · placed/m);
    assert.match(render('arrival-call', order({ number: null })).text, /^Order · \$620\.00 · placed/m);
    // Without a number, each language names the day its own way.
    assert.equal(
      render('cancel-followup', order({ number: null }), 'de-DE').subject,
      'Ihre Bestellung vom 1. Juni 2026 wurde storniert',
    );
    assert.equal(
      render('cancel-followup', order({ number: null }), 'fr-FR').subject,
      'Votre commande du 1er juin 2026 a été annulée',
    );
    assert.equal(
      render('cancel-followup', order({ number: null }), 'es-ES').subject,
      'Su pedido del 1 de junio de 2026 ha sido cancelado',
    );
  });
});

describe('the delivery address on letters and gifts', () => {
  test('letter and gift tasks show the address block to write on the envelope', () => {
    for (const name of ['thank-you-letter', 'thank-you-gift']) {
      const text = render(name, order()).text;
      assert.match(
        text,
        /Send it to:\n {2}Jane Cooper\n {2}1600 Pike Pl\n {2}Apt 5\n {2}98101 Seattle\n {2}WA\n {2}US\n/,
      );
      assert.equal(text.includes("order's delivery address"), false, name);
    }
  });

  test('without an address on file, the task says to ask for it rather than guess', () => {
    for (const name of ['thank-you-letter', 'thank-you-gift']) {
      const text = render(name, order({ shippingAddress: null })).text;
      assert.match(
        text,
        /No delivery address is on file for this order: ask Jane for it \(jane\.cooper@example\.com\)/,
      );
      assert.equal(text.includes('Send it to:'), false, name);
    }
  });
});
