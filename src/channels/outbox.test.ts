// The outbox: one file per idempotency key, safe on any file system, and removed on erasure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox, outboxFileName } from './outbox.js';

test('keeps plain keys readable and escapes everything else', () => {
  assert.equal(outboxFileName('enr_1:thank_you'), 'enr_1%3Athank_you.eml');
  assert.equal(outboxFileName('abc-DEF_0.9'), 'abc-DEF_0.9.eml');
  assert.equal(outboxFileName('a/b\\c'), 'a%2Fb%5Cc.eml');
  assert.equal(outboxFileName('café'), 'caf%C3%A9.eml');
});

test('never makes a hidden file or climbs out of the directory', () => {
  assert.equal(outboxFileName('.hidden'), '%2Ehidden.eml');
  assert.equal(outboxFileName('..'), '%2E..eml');
  assert.equal(outboxFileName('../etc/passwd'), '%2E.%2Fetc%2Fpasswd.eml');
});

test('different keys never share a file', () => {
  const keys = [
    'a:b',
    'a_b',
    'a%3Ab',
    'a%b',
    'a b',
    'a+b',
    'A:b',
    'a~b',
    `${'x'.repeat(300)}1`,
    `${'x'.repeat(300)}2`,
  ];
  const names = keys.map(outboxFileName);
  assert.equal(new Set(names).size, keys.length);
  for (const name of names) {
    assert.match(name, /^[A-Za-z0-9_.%~-]+\.eml$/);
    assert.ok(Buffer.byteLength(name) <= 200, name);
  }
});

test('an overlong key keeps a readable head and a hash', () => {
  const name = outboxFileName(`enr_${'9'.repeat(400)}:thank_you`);
  assert.match(name, /^enr_9+~[0-9a-f]{32}\.eml$/);
  assert.equal(outboxFileName(`enr_${'9'.repeat(400)}:thank_you`), name);
});

test('an empty key is refused', () => {
  assert.throws(() => outboxFileName(''), RangeError);
});

test('remove deletes the files of the keys given and counts those that existed', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-outbox-'));
  try {
    const outbox = new Outbox(dir);
    await outbox.write('a:1', Buffer.from('one'));
    await outbox.write('b:2', Buffer.from('two'));
    assert.equal(await outbox.remove(['a:1', 'never-sent']), 1);
    assert.deepEqual(await readdir(dir), [outboxFileName('b:2')]);
    assert.equal(await outbox.remove(['a:1']), 0, 'removing again is harmless');
    assert.equal(await new Outbox(join(dir, 'missing')).remove(['b:2']), 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
