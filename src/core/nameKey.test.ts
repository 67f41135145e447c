import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldName, nameKeyOf } from './nameKey.js';

test('names fold to lower case without accents or marks, letters of their own spelled out', () => {
  assert.equal(foldName('Zoë Ämmälä'), 'zoe ammala');
  assert.equal(foldName('SØREN Łukasz Weiß'), 'soren lukasz weiss');
  assert.equal(foldName('Æsa Œuvre Þóra Đorđe'), 'aesa oeuvre thora dorde');
  assert.equal(foldName('ﬁona'), 'fiona', 'compatibility forms too (NFKD)');
});

test('a name key is first then last, spaces squeezed; none for no name', () => {
  assert.equal(nameKeyOf('  Ada ', '  Lovelace  '), 'ada lovelace');
  assert.equal(nameKeyOf('Ada', null), 'ada');
  assert.equal(nameKeyOf(null, 'Lovelace'), 'lovelace');
  assert.equal(nameKeyOf(null, null), null);
  assert.equal(nameKeyOf('  ', ''), null);
});

test('a search folded the same way is a prefix of the key', () => {
  const key = nameKeyOf('Renée', 'Ørsted')!;
  for (const typed of ['RENEE', 'renée ø', 'Renee  Or']) assert.ok(key.startsWith(foldName(typed)), typed);
});
