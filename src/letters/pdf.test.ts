// The printed letters read back with pdf.js: one page per letter, the address where the window
// of the envelope is, accented names intact, the date in the customer's language, the words,
// the closing and a signature line.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BusinessInfo } from '../core/business.js';
import type { Letter } from '../core/letters/letter.js';
import { PAGE_LAYOUTS } from '../core/letters/layout.js';
import { renderLettersPdf } from './pdf.js';
import { itemOf, pdfPages, type PdfPage } from './pdfText.test-helpers.js';

const BUSINESS: BusinessInfo = {
  name: 'Lumen Lamps',
  website: 'https://lumen.example',
  supportEmail: 'help@lumen.example',
  supportPhone: '+49 30 1234567',
  escalationName: 'Dana Reyes',
  escalationEmail: 'dana@lumen.example',
  postalAddress: 'Hauptstraße 5, 10115 Berlin, Germany',
  fromEmail: 'care@lumen.example',
};

const zoe: Letter = {
  taskId: 'task:reassure:A1:thank-you-letter',
  customerId: 'c1',
  orderId: 'A1',
  recipient: ['Zoë Dvořák', 'ul. Piotrkowska 104', '90-926 Łódź', 'Poland'],
  locale: 'pl-PL',
  date: '3 czerwca 2026',
  paragraphs: ['Dear Zoë,', 'thank you for choosing Lumen Lamps. We are here if you need anything.'],
  closing: 'With thanks,',
};

const ana: Letter = {
  ...zoe,
  taskId: 'task:reassure:B1:thank-you-letter',
  orderId: 'B1',
  recipient: [
    'Ana Müller',
    'Firma Groß GmbH',
    'Straße des 17. Juni 1',
    'c/o Empfang',
    '10623 Berlin',
    'Berlin',
    'Germany',
  ],
  locale: 'de-DE',
  date: '3. Juni 2026',
  paragraphs: ['Dear Ana,', 'thank you.'],
};

async function print(letters: Letter[], paper: 'a4' | 'letter' = 'a4'): Promise<PdfPage[]> {
  const bytes = await renderLettersPdf(letters, {
    paper,
    business: BUSINESS,
    createdAt: 0,
    title: 'Letters',
  });
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  return pdfPages(bytes);
}

function assertInside(
  page: PdfPage,
  text: string,
  box: { x: number; y: number; width: number; height: number },
) {
  const item = itemOf(page, text);
  assert.ok(
    item.x >= box.x - 0.01 && item.x <= box.x + box.width && item.y > box.y && item.y <= box.y + box.height,
    `"${text}" at ${item.x.toFixed(1)},${item.y.toFixed(1)} mm is outside ${JSON.stringify(box)}`,
  );
}

describe('printed letters', () => {
  test('one A4 page per letter, the address inside the DIN 5008 form B address field', async () => {
    const pages = await print([zoe, ana]);
    assert.equal(pages.length, 2);
    const [first, second] = pages as [PdfPage, PdfPage];
    assert.ok(Math.abs(first.widthMm - 210) < 0.1 && Math.abs(first.heightMm - 297) < 0.1);
    // The address zone of form B: 62.7-90 mm from the top, text from 25 mm from the left.
    const zone = PAGE_LAYOUTS.a4.address;
    assert.deepEqual(zone, { x: 25, y: 62.7, width: 75, height: 27.3 });
    for (const line of zoe.recipient) assertInside(first, line, zone);
    // In order, one under the other.
    const ys = zoe.recipient.map((line) => itemOf(first, line).y);
    assert.deepEqual(
      [...ys].sort((a, b) => a - b),
      ys,
    );
    // Seven lines still fit the zone (in smaller type).
    for (const line of ana.recipient) assertInside(second, line, zone);
    // The return address sits above the recipient, inside the address field (45-62.7 mm).
    assertInside(first, 'Lumen Lamps · Hauptstraße 5 · 10115 Berlin · Germany', {
      x: 25,
      y: 45,
      width: 75,
      height: 17.7,
    });
  });

  test('names with accents, the date in the customer language, the words, the closing, a signature line', async () => {
    const [page] = (await print([zoe])) as [PdfPage];
    assert.match(page.text, /Zoë Dvořák/);
    assert.match(page.text, /90-926 Łódź/);
    itemOf(page, '3 czerwca 2026');
    const dear = itemOf(page, 'Dear Zoë,');
    const thanks = itemOf(page, zoe.paragraphs[1]!);
    const closing = itemOf(page, 'With thanks,');
    assert.ok(
      dear.y >= 98.5 && dear.y < thanks.y && thanks.y < closing.y,
      'the words follow the address, in order',
    );
    // Under the closing, room to sign, then the business's name under the line.
    const signer = page.items.filter((i) => i.text === 'Lumen Lamps' && i.y > closing.y);
    assert.equal(signer.length, 1, page.text);
    assert.ok(signer[0]!.y - closing.y >= 12, `only ${(signer[0]!.y - closing.y).toFixed(1)} mm to sign in`);
    // Letterhead and footer name the business and how to reach it.
    assert.match(page.text, /help@lumen\.example/);
  });

  test('US Letter: 8.5 x 11 in, the address where a #10 window shows it', async () => {
    const pages = await print([zoe, ana], 'letter');
    assert.equal(pages.length, 2);
    const [first] = pages as [PdfPage];
    assert.ok(Math.abs(first.widthMm - 215.9) < 0.1 && Math.abs(first.heightMm - 279.4) < 0.1);
    const window = { x: 25.4, y: 54, width: 95, height: 26 };
    for (const line of zoe.recipient) assertInside(first, line, window);
    // The words start below the first fold, so the window shows only the address.
    assert.ok(itemOf(first, 'Dear Zoë,').y > 93.1);
  });

  test('a long letter shrinks to stay on its one page', async () => {
    const long: Letter = {
      ...zoe,
      paragraphs: ['Dear Zoë,', ...Array.from({ length: 12 }, () => 'A sentence that goes on. '.repeat(12))],
    };
    const pages = await print([long, zoe]);
    assert.equal(pages.length, 2);
    itemOf(pages[0]!, 'With thanks,');
  });
});
