import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { BusinessInfo } from '../core/business.js';
import type { Customer, Order, TouchPoint } from '../core/domain.js';
import { parsePlaybook } from '../core/playbook/parse.js';
import type { Step } from '../core/playbook/types.js';
import { AftercareError } from '../errors.js';
import { templateNamesIn } from './load.js';
import { defaultTemplatesDir, packagePath } from './paths.js';
import { TemplateRenderer, templateContext, type TemplateContext } from './render.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 15);

const business: BusinessInfo = {
  name: 'Northwind Desks',
  website: 'https://northwind.example',
  supportEmail: 'help@northwind.example',
  supportPhone: '+1 555 0199',
  escalationName: 'Maria Lopez',
  escalationEmail: 'maria@northwind.example',
  postalAddress: '1 Main St, Springfield',
  fromEmail: 'hello@northwind.example',
};

const fullCustomer: Customer = {
  id: 'c1',
  email: 'ana@example.com',
  firstName: 'Ana',
  lastName: 'Silva',
  phone: '+1 555 0100',
  timezone: 'America/New_York',
  locale: 'en-US',
  segment: 'b2b',
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
  attributes: { company: 'Acme' },
  orderCount: 1,
  lastOrderId: null,
  createdAt: T0,
};

const fullOrder: Order = {
  id: '1001',
  customerId: 'c1',
  number: '#1001',
  shippingAddress: null,
  placedAt: T0,
  currency: 'USD',
  total: 640,
  segment: 'b2b',
  kind: 'goods',
  renewalPeriod: null,
  renewalCycle: 1,
  items: [
    { sku: 'CH-1', productName: 'Aeron chair', category: 'chairs', quantity: 2, price: 300 },
    { sku: 'L-1', productName: 'Desk lamp', category: 'lighting', quantity: 1, price: 40 },
  ],
  shipments: [
    {
      id: 's1',
      carrier: 'UPS',
      trackingNumber: '1Z999',
      trackingUrl: 'https://ups.example/track/1Z999',
      shippedAt: T0 + DAY,
      deliveredAt: T0 + 4 * DAY,
      status: 'delivered',
    },
  ],
  moments: {
    placed: T0,
    shipped: T0 + DAY,
    promised: T0 + 3 * DAY,
    delivered: T0 + 4 * DAY,
    renewal: T0 + 365 * DAY,
  },
  attributes: { renewal_amount: 640 },
  sequence: 1,
  updatedAt: T0,
};

/** Someone we know little about: no name, no locale, no shipment, one unnamed item. */
const sparseCustomer: Customer = {
  ...fullCustomer,
  firstName: null,
  lastName: null,
  phone: null,
  timezone: null,
  locale: null,
  segment: 'b2c',
  attributes: {},
};
const sparseOrder: Order = {
  ...fullOrder,
  currency: 'EUR',
  total: 35,
  segment: 'b2c',
  items: [{ sku: null, productName: null, category: null, quantity: 1, price: null }],
  shipments: [],
  moments: { placed: T0 },
  attributes: {},
};

const links = {
  unsubscribe: 'https://ac.example/u/tp1',
  survey: 'https://ac.example/s/tp1',
  plan: 'https://ac.example/p/1001',
  help: 'https://ac.example/help',
  tips_done: 'https://ac.example/tips/tp1',
};

const reassure = (() => {
  const path = packagePath('playbooks/reassure.yaml');
  const result = parsePlaybook(readFileSync(path, 'utf8'), path);
  assert.ok(result.ok);
  return result.playbook;
})();

function stepOf(key: string): Step {
  const step = reassure.steps.find((s) => s.key === key);
  assert.ok(step, key);
  return step;
}

function contextFor(
  step: Step,
  customer = fullCustomer,
  order = fullOrder,
  extraLinks: Record<string, string> = links,
): TemplateContext {
  const touchPoint = { id: `e1:${step.key}`, dueAt: T0 + 5 * DAY } as TouchPoint;
  const zone = customer.timezone ?? 'Europe/Lisbon';
  const context = templateContext({
    customer,
    order,
    touchPoint,
    step,
    business,
    links: extraLinks,
    now: T0 + 5 * DAY,
    zone,
  });
  // What the dispatcher adds for a `tip: N` step (core/education/series.ts tipFor).
  if (step.tip !== undefined) {
    context['tip'] = {
      subject: 'Clean the milk wand after every use',
      text: 'Wipe the wand with a damp cloth and purge it for two seconds: milk that dries in it is the first cause of a weak foam.',
      number: step.tip,
      count: 3,
      series: 'espresso-machine',
      matched: 'product "Barista Pro"',
    };
  }
  return context;
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aftercare-templates-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A renderer over a fresh folder holding these templates (defaults after them). */
function rendererWith(
  files: Record<string, string>,
  options: { strictVariables?: boolean } = {},
): TemplateRenderer {
  const folder = mkdtempSync(join(dir, 'set-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, `${name}.liquid`), text);
  return new TemplateRenderer({ dirs: [folder], ...options });
}

describe('the default templates', () => {
  const strict = new TemplateRenderer({ dirs: [], strictVariables: true });
  const names = templateNamesIn(defaultTemplatesDir());

  test('each one is used by the default playbook, and each step has one', () => {
    assert.deepEqual(names.sort(), [...new Set(reassure.steps.map((s) => s.template))].sort());
  });

  for (const step of reassure.steps) {
    test(`${step.template} renders for a full and a sparse customer`, () => {
      for (const [customer, order] of [
        [fullCustomer, fullOrder],
        [sparseCustomer, sparseOrder],
      ] as const) {
        const out = strict.render(step.template, contextFor(step, customer, order));
        const all = `${out.subject}\n${out.title}\n${out.text}`;
        assert.doesNotMatch(all, /\{\{|\}\}|\{%|%\}/, 'no Liquid left over');
        assert.doesNotMatch(all, /undefined|\bnull\b|NaN|\[object/, 'no JavaScript leaking into words');
        assert.ok(out.text.length > 80, 'a real body');
        if (step.channel.startsWith('task:')) {
          assert.ok(out.title.length > 5, 'tasks have a title');
          assert.equal(out.html, null);
        } else {
          assert.ok(out.subject.length > 5, 'messages have a subject');
          assert.match(out.html ?? '', /^<!doctype html>/);
        }
        if (customer === fullCustomer) assert.match(all, /Ana/);
        else assert.match(out.text, /^Hi there,|^Why:/);
      }
    });
  }

  test('non-transactional e-mails carry the unsubscribe link and the postal address; transactional ones no unsubscribe', () => {
    for (const step of reassure.steps.filter((s) => s.channel === 'email')) {
      const out = strict.render(step.template, contextFor(step));
      assert.match(out.text, /1 Main St, Springfield/, step.key);
      if (step.purpose === 'transactional') assert.doesNotMatch(out.text, /Unsubscribe/, step.key);
      else assert.match(out.text, /https:\/\/ac\.example\/u\/tp1/, step.key);
    }
  });

  test('thank-you says what happens next, how to get help and whom to escalate to', () => {
    const out = strict.render('thank-you', contextFor(stepOf('thank-you')));
    assert.equal(out.subject, 'Thank you for choosing Northwind Desks, Ana');
    assert.match(out.text, /What happens next/);
    assert.match(out.text, /help@northwind\.example/);
    assert.match(out.text, /Maria Lopez directly at maria@northwind\.example/);
    assert.match(out.text, /March 4, 2026/, 'the promised date, in the customer zone');
  });

  test('order-shipped names the carrier and links the tracking page', () => {
    const out = strict.render('order-shipped', contextFor(stepOf('order-shipped')));
    assert.equal(out.subject, 'Your order is on its way with UPS');
    assert.match(out.text, /https:\/\/ups\.example\/track\/1Z999/);
    assert.match(out.html ?? '', /<a href="https:\/\/ups\.example\/track\/1Z999">/);
  });

  test('the check-ins carry their one-click survey scale', () => {
    const week = strict.render('checkin-week', contextFor(stepOf('checkin-week')));
    for (let score = 1; score <= 5; score++)
      assert.ok(week.text.includes(`https://ac.example/s/tp1?score=${score}`));
    assert.ok(!week.text.includes('score=0'));
    const month = strict.render('checkin-month', contextFor(stepOf('checkin-month')));
    for (let score = 0; score <= 10; score++)
      assert.ok(month.text.includes(`https://ac.example/s/tp1?score=${score}`));
    assert.match(month.text, /recommend Northwind Desks/);
  });

  test('the arrival call gives the rep a script and the escalation contact', () => {
    const out = strict.render('arrival-call', contextFor(stepOf('arrival-call')));
    assert.equal(out.title, 'Call Ana Silva to check order #1001 arrived well');
    assert.match(out.text, /Talking points/);
    assert.match(out.text, /2 × Aeron chair/);
    assert.match(out.text, /Maria Lopez/);
  });
});

describe('TemplateRenderer', () => {
  const step = stepOf('thank-you');

  test('subject and title come from front matter, rendered in the same pass as the body', () => {
    const r = rendererWith({
      note: '---\nsubject: "Hello {{ customer.first_name }}"\ntitle: Note {{ order.id }}\n---\n{% assign n = 2 %}Body {{ n }} for {{ customer.first_name }}.\n',
    });
    const out = r.render('note', contextFor(step));
    assert.deepEqual(
      { subject: out.subject, title: out.title, text: out.text },
      { subject: 'Hello Ana', title: 'Note 1001', text: 'Body 2 for Ana.' },
    );
    assert.ok(r.has('note'));
    assert.ok(r.has('thank-you'), 'defaults come after');
    assert.equal(r.has('nope'), false);
  });

  test('a template without front matter is all body', () => {
    const out = rendererWith({ plain: 'Just {{ order.id }}\n' }).render('plain', contextFor(step));
    assert.deepEqual(out, { subject: '', title: '', text: 'Just 1001', html: null });
  });

  test('customer data cannot break subjects, the body split or the HTML', () => {
    const r = rendererWith({
      note: '---\nsubject: Hi {{ customer.first_name }}\n---\nHello {{ customer.first_name }}\n',
    });
    const evil = { ...fullCustomer, firstName: 'Ana\n---\nBcc: x@y <script>alert(1)</script>' };
    const out = r.render('note', contextFor(step, evil));
    assert.equal(out.subject, 'Hi Ana --- Bcc: x@y <script>alert(1)</script>');
    assert.match(out.text, /^Hello Ana\n---\nBcc/);
    assert.doesNotMatch(out.html ?? '', /<script>/);
    assert.match(out.html ?? '', /&lt;script&gt;/);
  });

  test('html: paragraphs, line breaks, links and e-mail addresses', () => {
    const r = rendererWith({
      note: '---\nsubject: s\n---\nLine one\nline two: https://x.example/a?b=1&c=2.\n\nWrite to help@x.example.\n',
    });
    const html = r.render('note', contextFor(step)).html ?? '';
    assert.match(
      html,
      /<p>Line one<br>\nline two: <a href="https:\/\/x\.example\/a\?b=1&amp;c=2">https:\/\/x\.example\/a\?b=1&amp;c=2<\/a>\.<\/p>/,
    );
    assert.match(html, /<p>Write to <a href="mailto:help@x\.example">help@x\.example<\/a>\.<\/p>/);
  });

  test('a playbook folder overrides default templates and partials', () => {
    const r = rendererWith({
      'thank-you': '---\nsubject: Mine\n---\nMine {% include "_footer" %}',
      _footer: 'custom footer\n',
    });
    assert.equal(r.render('thank-you', contextFor(step)).text, 'Mine custom footer');
    assert.match(r.render('arrival-check', contextFor(stepOf('arrival-check'))).text, /custom footer$/);
  });

  test('missing templates are AFTERCARE_E_TEMPLATE_NOT_FOUND, and names are never paths', () => {
    const r = rendererWith({});
    for (const name of ['missing', '../render.test', '/etc/passwd', '_footer']) {
      assert.throws(
        () => r.render(name, contextFor(step)),
        (e: unknown) => e instanceof AftercareError && e.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND',
        name,
      );
      assert.equal(r.has(name), false);
    }
  });

  test('broken templates are AFTERCARE_E_TEMPLATE_RENDER with the file', () => {
    const cases: Record<string, string> = {
      unclosed: '---\nsubject: x\n---\n{% if order.id %}open\n',
      split: '---\nsubject: {% if order.id %}x\n---\n{% endif %}\n',
      frontmatter: '---\nsubject: x\n',
      unknownkey: '---\nsubjct: x\n---\nbody\n',
      nopartial: 'a {% include "_nothing" %}\n',
      filter: '{{ order.id | no_such_filter }}\n',
    };
    const r = rendererWith(cases);
    for (const name of Object.keys(cases)) {
      assert.throws(
        () => r.load(name),
        (e: unknown) =>
          e instanceof AftercareError &&
          e.code === 'AFTERCARE_E_TEMPLATE_RENDER' &&
          String(e.details['file']).endsWith(`${name}.liquid`),
        name,
      );
    }
  });

  test('strictVariables catches a typo; the default renders it empty', () => {
    const files = { typo: '{{ customer.frist_name }}x' };
    assert.equal(rendererWith(files).render('typo', contextFor(step)).text, 'x');
    assert.throws(
      () => rendererWith(files, { strictVariables: true }).render('typo', contextFor(step)),
      (e: unknown) => e instanceof AftercareError && e.code === 'AFTERCARE_E_TEMPLATE_RENDER',
    );
  });

  test('sandbox: no files, no globals, no prototypes', () => {
    const r = rendererWith({
      globals:
        '[{{ process.env.HOME }}][{{ customer.constructor }}][{{ customer.__proto__ }}][{{ order.items.constructor.name }}][{{ global }}]',
    });
    assert.equal(r.render('globals', contextFor(step)).text, '[][][][][]');
    for (const tag of [
      "{% include '/etc/passwd' %}",
      "{% render '../../../../etc/passwd' %}",
      "{% layout '/etc/hosts' %}x",
      '{% include thank-you %}',
    ]) {
      const reader = rendererWith({ reader: tag });
      assert.throws(
        () => reader.render('reader', contextFor(step)),
        (e: unknown) => e instanceof AftercareError && e.code === 'AFTERCARE_E_TEMPLATE_RENDER',
        tag,
      );
    }
  });

  test('a template is read once, then served from cache', () => {
    const folder = mkdtempSync(join(dir, 'cache-'));
    writeFileSync(join(folder, 'once.liquid'), 'first');
    const r = new TemplateRenderer({ dirs: [folder] });
    assert.equal(r.render('once', contextFor(step)).text, 'first');
    writeFileSync(join(folder, 'once.liquid'), 'second');
    assert.equal(r.render('once', contextFor(step)).text, 'first');
  });
});

describe('filters and context', () => {
  const step = stepOf('thank-you');
  const r = rendererWith({
    f: '{{ order.total | money }}|{{ 20 | money: "GBP" }}|{{ order.placed_at | local_date }}|{{ order.placed_at | local_date: "short" }}|{{ order.placed_at | local_time }}|{{ nothing | money }}',
  });

  test('money, local_date and local_time follow the customer locale and zone', () => {
    // 2026-03-01 02:30 UTC is still February 28 in New York.
    const late = { ...fullOrder, placedAt: Date.UTC(2026, 2, 1, 2, 30) };
    // ICU puts no-break spaces in some formats; which ones depends on the Node version.
    const text = (ctx: TemplateContext) => r.render('f', ctx).text.replace(/[\u00a0\u202f]/g, ' ');
    assert.equal(
      text(contextFor(step, fullCustomer, late)),
      '$640.00|£20.00|February 28, 2026|2/28/26|9:30 PM|',
    );
    const german = { ...fullCustomer, locale: 'de_DE', timezone: 'Europe/Berlin' };
    const euro = { ...late, currency: 'EUR', total: 1234.5 };
    assert.equal(text(contextFor(step, german, euro)), '1.234,50 €|20,00 £|1. März 2026|01.03.26|03:30|');
  });

  test('templateContext: snake_case, attributes that cannot shadow, tracking and survey', () => {
    const customer = { ...fullCustomer, attributes: { email: 'spoof@x', plan: 'pro' } };
    const ctx = contextFor(stepOf('checkin-week'), customer) as Record<string, Record<string, unknown>>;
    assert.equal(ctx['customer']!['email'], 'ana@example.com');
    assert.equal(ctx['customer']!['plan'], 'pro');
    assert.equal(ctx['customer']!['name'], 'Ana Silva');
    assert.equal(ctx['order']!['item_count'], 3);
    assert.equal(ctx['order']!['total_formatted'], '$640.00');
    assert.equal(ctx['order']!['tracking_url'], 'https://ups.example/track/1Z999');
    assert.equal(ctx['order']!['placed_at'], '2026-03-01T10:00:00.000-05:00');
    assert.deepEqual(ctx['order']!['first_item'], {
      sku: 'CH-1',
      product_name: 'Aeron chair',
      category: 'chairs',
      quantity: 2,
      price: 300,
    });
    assert.equal(ctx['business']!['escalation_email'], 'maria@northwind.example');
    const survey = ctx['survey']!;
    assert.equal(survey['kind'], 'csat');
    assert.deepEqual(
      (survey['scale'] as { score: number }[]).map((s) => s.score),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual((survey['scale'] as { url: string }[])[0], {
      score: 1,
      url: 'https://ac.example/s/tp1?score=1',
    });
    assert.equal(contextFor(step)['survey'], null, 'no survey on a step without one');
    assert.equal(
      contextFor(stepOf('checkin-week'), fullCustomer, fullOrder, {
        ...links,
        survey: 'https://s.example/?t=1',
      })['survey'] !== null,
      true,
    );
    const withQuery = contextFor(stepOf('checkin-month'), fullCustomer, fullOrder, {
      ...links,
      survey: 'https://s.example/?t=1',
    });
    assert.equal(
      ((withQuery['survey'] as Record<string, unknown>)['scale'] as { url: string }[])[10]!.url,
      'https://s.example/?t=1&score=10',
    );
    const { survey: _omit, ...noSurveyLink } = links;
    assert.equal(contextFor(stepOf('checkin-week'), fullCustomer, fullOrder, noSurveyLink)['survey'], null);
  });

  test('tracking falls back to the link the caller passes', () => {
    const ctx = contextFor(step, fullCustomer, sparseOrder, {
      ...links,
      tracking: 'https://t.example/1',
    }) as Record<string, Record<string, unknown>>;
    assert.equal(ctx['order']!['tracking_url'], 'https://t.example/1');
    assert.equal(ctx['order']!['carrier'], null);
  });
});
