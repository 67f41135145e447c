// The HTML part: the compiled layout filled per message, customer text escaped in every slot,
// the footer below the body, and the survey scale as buttons that are the text part's own links.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { BusinessInfo } from '../core/business.js';
import type { Customer, Order, TouchPoint } from '../core/domain.js';
import { DEFAULT_PREFERENCES } from '../core/listening/types.js';
import { parsePlaybook } from '../core/playbook/parse.js';
import type { Step } from '../core/playbook/types.js';
import { emailHtml, splitFooter } from './htmlEmail.js';
import { packagePath } from './paths.js';
import { TemplateRenderer, templateContext } from './render.js';

const NOW = Date.UTC(2026, 2, 10, 15);
const business: BusinessInfo = {
  name: 'Lumen & <Lamps>',
  website: 'https://lumen.example',
  supportEmail: 'help@lumen.example',
  supportPhone: null,
  escalationName: 'Dana Reyes',
  escalationEmail: 'dana@lumen.example',
  postalAddress: '1 Light Street, Springfield',
  fromEmail: 'care@lumen.example',
};
const customer: Customer = {
  id: 'c1',
  email: 'ada@example.com',
  firstName: '<img src=x onerror=alert(1)>',
  lastName: 'Lovelace',
  phone: null,
  timezone: 'Europe/London',
  locale: 'en-GB',
  segment: 'b2c',
  holdout: false,
  temperature: 50,
  temperatureReasons: [],
  openConcerns: 0,
  awaitingPersonSince: null,
  lastNps: null,
  engagedAt: null,
  preferences: DEFAULT_PREFERENCES,
  unsubscribedAt: null,
  emailBouncedAt: null,
  orderCount: 1,
  lastOrderId: 'o1',
  attributes: {},
  createdAt: NOW,
};
const order: Order = {
  id: 'o1',
  customerId: 'c1',
  number: '#1001',
  shippingAddress: null,
  placedAt: NOW - 10 * 86_400_000,
  currency: 'GBP',
  total: 20,
  segment: 'b2c',
  kind: 'goods',
  renewalPeriod: null,
  renewalCycle: 1,
  items: [{ sku: 'L1', productName: 'Desk "lamp" <b>', category: null, quantity: 1, price: 20 }],
  shipments: [],
  moments: { placed: NOW - 10 * 86_400_000, delivered: NOW - 8 * 86_400_000 },
  sequence: 1,
  attributes: {},
  updatedAt: NOW,
};
const reassure = (() => {
  const path = packagePath('playbooks/reassure.yaml');
  const result = parsePlaybook(readFileSync(path, 'utf8'), path);
  assert.ok(result.ok);
  return result.playbook;
})();
const links = {
  help: 'https://care.example/help',
  unsubscribe: 'https://care.example/u/tok-u',
  plan: 'https://care.example/plan/tok-p',
  preferences: 'https://care.example/preferences/tok-pr',
  survey: 'https://care.example/s/tok-s',
};

function render(key: string) {
  const step = reassure.steps.find((s) => s.key === key) as Step;
  const touchPoint = { id: `reassure:o1:${key}`, dueAt: NOW } as TouchPoint;
  const context = templateContext({
    customer,
    order,
    touchPoint,
    step,
    business,
    links,
    now: NOW,
    zone: 'Europe/London',
  });
  return new TemplateRenderer({ dirs: [], strictVariables: true }).render(step.template, context);
}

/** The buttons of the survey scale: [href, label] in order. */
function buttons(html: string): [string, string][] {
  const table = /<table role="presentation" class="ac-scale"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

describe('the HTML part', () => {
  test('is the compiled layout, every slot filled, customer text escaped everywhere', () => {
    const out = render('checkin-week');
    const html = out.html ?? '';
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<html lang="en-GB"/);
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.doesNotMatch(html, /%%[A-Z]+%%/);
    assert.doesNotMatch(html, /<img|<b>|onerror=alert\(1\)>/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, />Lumen &amp; &lt;Lamps&gt;<\/div>/, 'the business name heads the message, escaped');
    assert.match(html, /<title>One week in\. How is it going\?<\/title>/);
    // No web font or image: nothing in the mail asks another host for anything.
    assert.doesNotMatch(html, /googleapis|<link |<img /);
  });

  test('the footer goes below the body, with its unsubscribe link', () => {
    const out = render('checkin-week');
    const { body, footer } = splitFooter(out.text);
    assert.match(footer, /^Lumen & <Lamps> · https:\/\/lumen\.example/);
    assert.ok(!body.includes('Unsubscribe'));
    const html = out.html ?? '';
    const footerAt = html.indexOf('class="ac-footer"');
    assert.ok(footerAt > html.indexOf('class="ac-body"'));
    assert.ok(html.indexOf('<a href="https://care.example/u/tok-u">') > footerAt);
  });

  test("CSAT 1-5 and NPS 0-10 are buttons, each the text part's link for its score", () => {
    for (const [key, first, last] of [
      ['checkin-week', 1, 5],
      ['checkin-month', 0, 10],
    ] as const) {
      const out = render(key);
      const found = buttons(out.html ?? '');
      assert.equal(found.length, last - first + 1, key);
      found.forEach(([href, label], i) => {
        const score = first + i;
        assert.equal(label, String(score));
        assert.equal(href, `${links.survey}?score=${score}`);
        // The text part keeps one readable line per choice, with the same link.
        assert.ok(
          out.text.split('\n').some((line) => line.startsWith(`${score}`) && line.endsWith(href)),
          `${key} ${score}`,
        );
      });
      assert.doesNotMatch(
        out.html ?? '',
        new RegExp(`<p>${first} \\(`),
        'the lines are not repeated as text',
      );
      assert.match(
        out.html ?? '',
        new RegExp(`${first} = Not (happy|likely) · ${last} = Very (happy|likely)`),
      );
    }
  });

  test("lines that only look like the scale stay text: the URLs must be this message's own", () => {
    const view = {
      lang: 'en',
      subject: 's',
      businessName: 'b',
      scale: {
        choices: [1, 2].map((score) => ({ score, url: `https://care.example/s/tok?score=${score}` })),
        lowLabel: 'low',
        highLabel: 'high',
      },
    };
    const forged = '1: https://evil.example/s/tok?score=1\n2: https://evil.example/s/tok?score=2';
    assert.equal(buttons(emailHtml(forged, view)).length, 0);
    // ?score=1 is not the start of ?score=10.
    const prefix = '1: https://care.example/s/tok?score=10\n2: https://care.example/s/tok?score=2';
    assert.equal(buttons(emailHtml(prefix, view)).length, 0);
    const own = '1 (low): https://care.example/s/tok?score=1\n2 (high): https://care.example/s/tok?score=2';
    const html = emailHtml(own, view);
    assert.deepEqual(
      buttons(html).map(([, label]) => label),
      ['1', '2'],
    );
    assert.match(html, /aria-label="1 \(low\)"/);
  });

  test('a task script has no HTML part', () => {
    assert.equal(render('arrival-call').html, null);
  });
});
