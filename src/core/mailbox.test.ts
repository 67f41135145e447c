import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMailbox, isMailbox } from './mailbox.js';

test('one bare address passes, trimmed', () => {
  assert.deepEqual(checkMailbox('  buyer@example.com '), { ok: true, address: 'buyer@example.com' });
  for (const good of ['Anna.Weber+orders@shop.example.de', "o'brien@example.ie", 'müller@bücher.example']) {
    assert.equal(isMailbox(good), true, good);
  }
});

test('a list, a group, a name, a comment or a header smuggled in is refused', () => {
  const cases: [string, RegExp][] = [
    ['buyer@example.com, third@evil.example', /holds 2 addresses/],
    ['buyer@example.com; third@evil.example', /holds 2 addresses/],
    ['buyers: buyer@example.com, third@evil.example;', /group/],
    ['Buyer <buyer@example.com>', /not a bare address/],
    ['<buyer@example.com>', /not a bare address/],
    ['buyer@example.com (work)', /not a bare address/],
    ['buyer@example.com third@evil.example', /not a bare address/],
    ['buyer@example.com\r\nBcc: third@evil.example', /line break/],
    ['"a, b"@example.com', /not an e-mail address/],
    ['a@@example.com', /not an e-mail address|domain/],
    ['buyer@localhost', /domain/],
    ['buyer@-evil.example', /domain/],
    ['someone', /not a bare address|not an e-mail/],
    ['', /empty/],
    [`${'a'.repeat(65)}@example.com`, /not an e-mail address/],
    [`a@${'b'.repeat(250)}.example`, /longer than 254/],
  ];
  for (const [raw, problem] of cases) {
    const checked = checkMailbox(raw);
    assert.equal(checked.ok, false, JSON.stringify(raw));
    if (!checked.ok) {
      assert.match(checked.problem, problem, JSON.stringify(raw));
      if (raw !== '')
        assert.equal(checked.problem.includes(raw.trim()), false, 'the problem never repeats the address');
    }
  }
});
