import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIssue } from '../playbook/parse.js';
import { parseStory } from './parse.js';

const GOOD = `---
id: lamp-studio
title: Twelve desks
locale: de-at
teller: { name: Tom B., company: Northlight }
tags:
  products: [LAMP-1]
  segments: [b2b]
consent: { given: true, by: Tom B., on: 2026-02-02 }
---
Wir haben zwölf Lampen auf einmal gekauft.
`;

test('a story file: front matter and text, the locale made canonical', () => {
  const parsed = parseStory(GOOD, 'stories/lamp.md');
  assert.ok(parsed.ok);
  assert.equal(parsed.story.locale, 'de-AT');
  assert.equal(parsed.story.consent.on, '2026-02-02');
  assert.deepEqual(parsed.story.tags, {
    products: ['LAMP-1'],
    categories: [],
    segments: ['b2b'],
    useCases: [],
  });
  assert.equal(parsed.story.text, 'Wir haben zwölf Lampen auf einmal gekauft.');
  assert.equal(parsed.story.sample, false);
});

function problems(text: string): string[] {
  const parsed = parseStory(text, 'lamp.md');
  assert.equal(parsed.ok, false);
  return parsed.ok ? [] : parsed.issues.map(formatIssue);
}

test('every problem names the file, the line and the field', () => {
  assert.deepEqual(problems(GOOD.replace('segments: [b2b]', 'segments: [b2x]')), [
    'lamp.md:8:14 tags.segments[0]: must be one of b2c, b2b',
  ]);
  assert.deepEqual(problems(GOOD.replace('locale: de-at', 'langue: de')), [
    'lamp.md:2:1 locale: is required',
    'lamp.md:4:1 langue: unknown field "langue"',
  ]);
  assert.deepEqual(problems(GOOD.replace('given: true, by: Tom B., on: 2026-02-02', 'given: true')), [
    'lamp.md:9:10 consent.by: is required when consent is given: who gave it (by) and when (on)',
  ]);
  assert.deepEqual(problems(GOOD.replace('Wir haben zwölf Lampen auf einmal gekauft.\n', '')), [
    'lamp.md:11:1 text: the story has no text after the front matter',
  ]);
  assert.deepEqual(problems('Just text.'), [
    'lamp.md:1:1 a story starts with front matter between two "---" lines, then its text',
  ]);
  assert.deepEqual(problems(GOOD.replace('  products: [LAMP-1]\n', '')), [
    'lamp.md:7:3 tags: needs products, categories or use_cases: a story is told for a likeness to the purchase',
  ]);
});

test('a story without consent is valid (and never told)', () => {
  const parsed = parseStory(GOOD.replace('given: true, by: Tom B., on: 2026-02-02', 'given: false'), 'x.md');
  assert.ok(parsed.ok);
  assert.equal(parsed.story.consent.given, false);
});
