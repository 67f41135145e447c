import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messageIdFor, touchPointIdFromMessageId, TRACEABLE_ID_BYTES } from './messageId.js';

describe('Message-ID of a touch point', () => {
  const id = 'reassure:#1042-DE:thank_you';

  test('is stable and reads back to the touch point id', () => {
    const messageId = messageIdFor(id, 'lumen.example');
    assert.equal(messageId, messageIdFor(id, 'lumen.example'));
    assert.match(messageId, /^<[A-Za-z0-9_-]+\.[0-9a-f]{16}@lumen\.example>$/);
    assert.equal(touchPointIdFromMessageId(messageId), id);
    // As a header value quotes it, with blanks around, or without the angle brackets.
    assert.equal(touchPointIdFromMessageId(` ${messageId} `), id);
    assert.equal(touchPointIdFromMessageId(messageId.slice(1, -1)), id);
  });

  test('different touch points, different ids; non-ASCII order ids survive', () => {
    const other = 'reassure:Bestellung-Größe-42:check_in_week';
    assert.notEqual(messageIdFor(id, 'a.example'), messageIdFor(other, 'a.example'));
    assert.equal(touchPointIdFromMessageId(messageIdFor(other, 'a.example')), other);
  });

  test('a typo, a foreign id or a changed check part reads back as nothing', () => {
    const messageId = messageIdFor(id, 'lumen.example');
    const [, local = '', sum = ''] = /^<([^.]+)\.([0-9a-f]+)@/.exec(messageId) ?? [];
    const swap = (c: string, a: string, b: string): string => (c === a ? b : a);
    const typo = `<${local.slice(0, 3)}${swap(local[3] ?? '', 'A', 'B')}${local.slice(4)}.${sum}@lumen.example>`;
    assert.equal(touchPointIdFromMessageId(typo), null);
    const wrongSum = `<${local}.${sum.slice(0, -1)}${swap(sum.at(-1) ?? '', '0', '1')}@lumen.example>`;
    assert.equal(touchPointIdFromMessageId(wrongSum), null);
    assert.equal(touchPointIdFromMessageId('<CAF=x9Tq+abc@mail.gmail.com>'), null);
    assert.equal(touchPointIdFromMessageId('<0123456789abcdef0123456789abcdef@lumen.example>'), null);
    assert.equal(touchPointIdFromMessageId(''), null);
  });

  test('an id too long to carry falls back to a one-way hash, under the header length', () => {
    const long = `reassure:${'x'.repeat(TRACEABLE_ID_BYTES)}:thank_you`;
    const messageId = messageIdFor(long, 'lumen.example');
    assert.match(messageId, /^<[0-9a-f]{32}@lumen\.example>$/);
    assert.equal(touchPointIdFromMessageId(messageId), null);
    const longest = 'y'.repeat(TRACEABLE_ID_BYTES);
    assert.ok(messageIdFor(longest, 'mail.lumen-store.example').length < 250);
    assert.equal(touchPointIdFromMessageId(messageIdFor(longest, 'mail.lumen-store.example')), longest);
  });
});
