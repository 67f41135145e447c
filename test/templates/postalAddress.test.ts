// CAN-SPAM asks every commercial e-mail to carry the sender's postal address. Every default
// template that is an e-mail (it has a subject), rendered for any non-transactional purpose,
// must show business.postal_address and the unsubscribe link, in the text and the HTML part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { BusinessInfo } from '../../src/core/business.js';
import { PURPOSES, type Customer, type Order, type TouchPoint } from '../../src/core/domain.js';
import { parsePlaybook } from '../../src/core/playbook/parse.js';
import { templateNamesIn } from '../../src/templates/load.js';
import { defaultTemplatesDir, packagePath } from '../../src/templates/paths.js';
import { TemplateRenderer, templateContext } from '../../src/templates/render.js';

const T0 = Date.UTC(2026, 5, 1, 14);
const ADDRESS = 'Northwind Goods GmbH, Hauptstraße 12, 10827 Berlin, Germany';
const UNSUBSCRIBE = 'https://care.northwind.example/u/e1%3Astep';

const business: BusinessInfo = {
  name: 'Northwind Goods',
  website: null,
  supportEmail: 'help@northwind.example',
  supportPhone: null,
  escalationName: 'Dana Schmidt',
  escalationEmail: 'dana@northwind.example',
  postalAddress: ADDRESS,
  fromEmail: 'care@northwind.example',
};

const customer: Customer = {
  id: 'c1',
  email: 'jane.cooper@example.com',
  firstName: null,
  lastName: null,
  phone: null,
  timezone: null,
  locale: null,
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
};

// A bare order: the footer must not depend on optional data being there.
const order: Order = {
  id: 'shopify:1',
  customerId: 'c1',
  number: null,
  shippingAddress: null,
  placedAt: T0,
  currency: 'USD',
  total: 20,
  segment: 'b2c',
  kind: 'goods',
  renewalPeriod: null,
  renewalCycle: 1,
  items: [],
  shipments: [],
  moments: { placed: T0 },
  attributes: {},
  sequence: 1,
  updatedAt: T0,
};

test('every non-transactional default e-mail template carries the postal address and the unsubscribe link', () => {
  const path = packagePath('playbooks/reassure.yaml');
  const parsed = parsePlaybook(readFileSync(path, 'utf8'), path);
  assert.ok(parsed.ok);
  const baseStep = parsed.playbook.steps.find((step) => step.channel === 'email');
  assert.ok(baseStep);
  const renderer = new TemplateRenderer({ dirs: [] });
  const names = templateNamesIn(defaultTemplatesDir());
  const emails = names.filter((name) => renderer.load(name).hasSubject);
  assert.ok(emails.length >= 10, `only ${emails.length} e-mail templates found`);
  for (const name of emails) {
    for (const [purpose, locale] of PURPOSES.filter((p) => p !== 'transactional').flatMap((p) =>
      ['en', 'de', 'fr', 'es'].map((l) => [p, l] as const),
    )) {
      const step = { ...baseStep, key: 'step', template: name, purpose };
      const touchPoint = { id: 'e1:step', dueAt: T0, purpose, channel: 'email' } as TouchPoint;
      const out = renderer.render(
        name,
        templateContext({
          customer: { ...customer, locale },
          order,
          touchPoint,
          step,
          business,
          links: { unsubscribe: UNSUBSCRIBE },
          now: T0,
          zone: 'UTC',
        }),
      );
      assert.ok(out.text.includes(ADDRESS), `${name} (${purpose}) has no postal address`);
      assert.ok(out.text.includes(UNSUBSCRIBE), `${name} (${purpose}, ${locale}) has no unsubscribe link`);
      assert.ok(
        (out.html ?? '').includes('Hauptstraße 12, 10827 Berlin'),
        `${name} (${purpose}) HTML has no postal address`,
      );
    }
  }
});
