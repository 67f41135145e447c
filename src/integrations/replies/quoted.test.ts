import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_REPLY_TEXT, stripQuoted } from './quoted.js';

describe('what the customer wrote, without the quoted history', () => {
  test('Gmail: "On ... wrote:" wrapped over two lines, and the quoted lines', () => {
    const text = [
      'The lamp works, but the shade has a dent.',
      'Can you send a new one?',
      '',
      'On Wed, Jun 3, 2026 at 9:00 AM Lumen Lamps <care@lumen.example>',
      'wrote:',
      '> Hello Ada,',
      '> thank you for your order LUM-1001.',
    ].join('\r\n');
    assert.equal(stripQuoted(text), 'The lamp works, but the shade has a dent.\nCan you send a new one?');
  });

  test('German: "Am ... schrieb ...:" and a phone signature', () => {
    const text = [
      'Hallo,',
      'die Lampe kam leider kaputt an. Bitte um Rückruf.',
      '',
      'Von meinem iPhone gesendet',
      '',
      'Am 03.06.2026 um 09:00 schrieb Lumen Leuchten <service@lumen.example>:',
      '> Hallo Frau Weber,',
      '> vielen Dank für Ihre Bestellung.',
    ].join('\n');
    assert.equal(stripQuoted(text), 'Hallo,\ndie Lampe kam leider kaputt an. Bitte um Rückruf.');
  });

  test('Outlook header blocks in English and German, and a "-- " signature', () => {
    const en =
      'Please cancel the second item.\n\n-- \nJordan Smith\nNorthwind Traders\n\nFrom: Lumen Lamps <care@lumen.example>\nSent: Tuesday, June 2, 2026 9:00 AM\nTo: Jordan';
    assert.equal(stripQuoted(en), 'Please cancel the second item.');
    const de =
      'Rechnung bitte an die Firma.\n\nVon: Lumen Leuchten <service@lumen.example>\nGesendet: Dienstag, 2. Juni 2026 09:00\nAn: Weber';
    assert.equal(stripQuoted(de), 'Rechnung bitte an die Firma.');
    const original = 'Sounds good.\n\n-----Original Message-----\nFrom: Lumen';
    assert.equal(stripQuoted(original), 'Sounds good.');
  });

  test('interleaved answers keep the customer lines; a reply that is all quote is empty', () => {
    assert.equal(
      stripQuoted('> When will it ship?\nTomorrow would be great.\n> Thanks'),
      'Tomorrow would be great.',
    );
    assert.equal(stripQuoted('> only a quote\n>> nested'), '');
  });

  test('a long text is cut to the limit', () => {
    assert.equal(stripQuoted('a'.repeat(MAX_REPLY_TEXT + 50)).length, MAX_REPLY_TEXT);
  });
});
