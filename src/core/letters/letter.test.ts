// A letter from a letter task: the letter paragraph of the script, the address block, the date in
// the customer's language, and a value saying why when it cannot be posted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ShippingAddress, Task } from '../domain.js';
import { aCustomer, anOrder } from '../policy/fixtures.test-helpers.js';
import { dayWindow, parseDay } from './day.js';
import { canonicalLocale, prepareLetter } from './letter.js';
import { postalLines } from './layout.js';
import { letterTextOf } from './letterText.js';

// What the default thank-you-letter template renders: notes, a customer card with an indented
// item list, the letter as its own indented paragraph, and an indented delivery address.
const SCRIPT = [
  'Why: a handwritten note after a larger purchase is remembered long after any e-mail.',
  '',
  'Customer: Zoë Dvořák',
  'Order #A1 · 800,00 € · placed 1 czerwca 2026',
  '  - 1 × Desk lamp',
  '',
  'Write it by hand, on a card, and sign it yourself. A starting point:',
  '',
  '  Dear Zoë,',
  '  thank you for choosing Lumen Lamps.',
  '  With thanks, <your name>',
  '',
  'Send it to:',
  '  Zoë Dvořák',
  '  ul. Piotrkowska 104',
].join('\n');

const DAY = { year: 2026, month: 6, day: 3 };

function address(parts: Partial<ShippingAddress>): ShippingAddress {
  const empty = { name: null, company: null, line1: null, line2: null, city: null, region: null };
  return { ...empty, postalCode: null, country: null, phone: null, ...parts };
}

function letterTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'task:reassure:o1:thank-you-letter',
    touchPointId: 'reassure:o1:thank-you-letter',
    customerId: 'c1',
    orderId: 'o1',
    concernId: null,
    kind: 'letter',
    title: 'Handwritten thank-you letter',
    script: SCRIPT,
    dueAt: Date.UTC(2026, 5, 3, 12),
    owner: null,
    status: 'open',
    outcome: null,
    notes: null,
    createdAt: 0,
    completedAt: null,
    ...overrides,
  };
}

const lodz = address({
  name: 'Zoë Dvořák',
  line1: 'ul. Piotrkowska 104',
  postalCode: '90-926',
  city: 'Łódź',
  country: 'Poland',
});

describe('the letter in a script', () => {
  test('is the first paragraph that is all indented, not the item list or the address', () => {
    assert.deepEqual(letterTextOf(SCRIPT), {
      paragraphs: ['Dear Zoë,', 'thank you for choosing Lumen Lamps.'],
      closing: 'With thanks,',
    });
  });

  test('a closing ending in a comma is a closing; a letter without one has none', () => {
    assert.deepEqual(letterTextOf('Notes\n\n  Liebe Ana,\n  danke.\n  Herzliche Grüße,\n'), {
      paragraphs: ['Liebe Ana,', 'danke.'],
      closing: 'Herzliche Grüße,',
    });
    assert.deepEqual(letterTextOf('\n  Dear Ana,\n  thank you.'), {
      paragraphs: ['Dear Ana,', 'thank you.'],
      closing: null,
    });
  });

  test('no indented paragraph, or only an indented list: no letter', () => {
    assert.equal(letterTextOf('Call them.\nAsk how it went.'), null);
    assert.equal(letterTextOf('Items:\n\n  - 1 × Lamp\n  - 2 × Bulb\n'), null);
  });
});

describe('preparing a letter', () => {
  test('the address block, the date in the customer language, the words', () => {
    const prepared = prepareLetter({
      task: letterTask(),
      customer: aCustomer({ firstName: 'Zoë', lastName: 'Dvořák', locale: 'pl_PL' }),
      order: anOrder({ id: 'o1', shippingAddress: lodz }),
      day: DAY,
      fallbackLocale: 'en',
    });
    assert.ok(prepared.ok);
    assert.deepEqual(prepared.letter.recipient, [
      'Zoë Dvořák',
      'ul. Piotrkowska 104',
      '90-926 Łódź',
      'Poland',
    ]);
    assert.equal(prepared.letter.locale, 'pl-PL');
    assert.equal(prepared.letter.date, '3 czerwca 2026');
    assert.equal(prepared.letter.closing, 'With thanks,');
  });

  test('dates follow the locale; no or a broken locale falls back', () => {
    const dated = (locale: string | null) => {
      const prepared = prepareLetter({
        task: letterTask(),
        customer: aCustomer({ locale }),
        order: anOrder({ id: 'o1', shippingAddress: lodz }),
        day: DAY,
        fallbackLocale: 'en-US',
      });
      assert.ok(prepared.ok);
      return prepared.letter.date;
    };
    assert.equal(dated('de-DE'), '3. Juni 2026');
    assert.equal(dated('fr'), '3 juin 2026');
    assert.equal(dated('es-ES'), '3 de junio de 2026');
    assert.equal(dated(null), 'June 3, 2026');
    assert.equal(dated('not a locale!'), 'June 3, 2026');
    assert.equal(canonicalLocale('  ', 'en'), 'en');
  });

  test("without a name on the address, the customer's name heads it", () => {
    const prepared = prepareLetter({
      task: letterTask(),
      customer: aCustomer({ firstName: 'Zoë', lastName: 'Dvořák' }),
      order: anOrder({ id: 'o1', shippingAddress: { ...lodz, name: null } }),
      day: DAY,
      fallbackLocale: 'en',
    });
    assert.ok(prepared.ok);
    assert.equal(prepared.letter.recipient[0], 'Zoë Dvořák');
  });

  test('what cannot be posted says why', () => {
    const why = (order: ReturnType<typeof anOrder> | null, task = letterTask(), names = {}) => {
      const prepared = prepareLetter({
        task,
        customer: aCustomer({ firstName: null, lastName: null, ...names }),
        order,
        day: DAY,
        fallbackLocale: 'en',
      });
      assert.equal(prepared.ok, false);
      return prepared.ok ? null : prepared.problem;
    };
    assert.equal(why(null), 'no_order');
    assert.equal(why(anOrder({ id: 'o1' }), letterTask({ orderId: null })), 'no_order');
    assert.equal(why(anOrder({ id: 'o1', shippingAddress: null })), 'no_address');
    assert.equal(why(anOrder({ id: 'o1', shippingAddress: { ...lodz, line1: null } })), 'no_street');
    assert.equal(why(anOrder({ id: 'o1', shippingAddress: { ...lodz, city: null } })), 'no_town');
    assert.equal(why(anOrder({ id: 'o1', shippingAddress: { ...lodz, name: null } })), 'no_recipient');
    assert.equal(
      why(anOrder({ id: 'o1', shippingAddress: lodz }), letterTask({ script: 'Call them instead.' })),
      'no_letter_text',
    );
  });
});

describe('the day printed for', () => {
  test('a real date only', () => {
    assert.deepEqual(parseDay('2026-06-03'), DAY);
    assert.equal(parseDay('2026-02-30'), null);
    assert.equal(parseDay('3.6.2026'), null);
  });

  test("is the business's day in its zone, 23 hours on a spring-forward day", () => {
    assert.deepEqual(dayWindow(DAY, 'Europe/Berlin'), {
      from: Date.UTC(2026, 5, 2, 22),
      before: Date.UTC(2026, 5, 3, 22),
    });
    const spring = dayWindow({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin');
    assert.equal(spring.before - spring.from, 23 * 3_600_000);
  });

  test("the business's postal address as lines", () => {
    assert.deepEqual(postalLines('Hauptstraße 5, 10115 Berlin;Germany'), [
      'Hauptstraße 5',
      '10115 Berlin',
      'Germany',
    ]);
  });
});
