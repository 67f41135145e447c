import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchStory, useCasesOf, type StoryBuyer } from './match.js';
import type { Story } from './story.js';

function story(
  id: string,
  overrides: Omit<Partial<Story>, 'tags'> & { tags?: Partial<Story['tags']> } = {},
): Story {
  const { tags, ...rest } = overrides;
  return {
    id,
    title: id,
    locale: 'en',
    tags: { products: [], categories: [], segments: [], useCases: [], ...tags },
    consent: { given: true, by: 'Ada', on: '2026-01-01' },
    teller: { name: 'Ada', company: null },
    sample: false,
    text: 'How it went.',
    file: `${id}.md`,
    ...rest,
  };
}

const buyer = (overrides: Partial<StoryBuyer> = {}): StoryBuyer => ({
  segment: 'b2b',
  items: [{ sku: 'LAMP-1', productName: 'Desk lamp', category: 'Lighting' }],
  useCases: [],
  locale: 'en',
  told: new Set(),
  ...overrides,
});

test('same product beats same category beats same use; the segment adds to a likeness', () => {
  const stories = [
    story('use', { tags: { useCases: ['studio'], segments: ['b2b'] } }),
    story('category', { tags: { categories: ['lighting'] } }),
    story('product', { tags: { products: ['lamp-1'] } }),
  ];
  const found = matchStory(stories, buyer({ useCases: ['studio'] }));
  assert.equal(found?.story.id, 'product');
  assert.deepEqual(found?.why, { product: 'Desk lamp', category: null, useCase: null, segment: null });
  assert.equal(matchStory(stories.slice(0, 2), buyer({ useCases: ['studio'] }))?.story.id, 'category');
  const bySegment = matchStory(
    [
      story('a', { tags: { products: ['Desk lamp'] } }),
      story('b', { tags: { products: ['Desk lamp'], segments: ['b2b'] } }),
    ],
    buyer(),
  );
  assert.equal(bySegment?.story.id, 'b');
  assert.equal(bySegment?.why.segment, 'b2b');
});

test('the segment alone is no likeness: nothing matches, nothing is told', () => {
  assert.equal(
    matchStory([story('b2b-only', { tags: { segments: ['b2b'], categories: ['garden'] } })], buyer()),
    null,
  );
  assert.equal(matchStory([], buyer()), null);
});

test('never a story without consent, one told before, or in another language than the message', () => {
  const lamp = { products: ['LAMP-1'] };
  assert.equal(
    matchStory([story('x', { tags: lamp, consent: { given: false, by: null, on: null } })], buyer()),
    null,
  );
  assert.equal(matchStory([story('x', { tags: lamp })], buyer({ told: new Set(['x']) })), null);
  assert.equal(matchStory([story('x', { tags: lamp, locale: 'de' })], buyer({ locale: 'en' })), null);
  // A second purchase gets the next best story, not the first again.
  const two = [story('first', { tags: { ...lamp, segments: ['b2b'] } }), story('second', { tags: lamp })];
  assert.equal(matchStory(two, buyer())?.story.id, 'first');
  assert.equal(matchStory(two, buyer({ told: new Set(['first']) }))?.story.id, 'second');
});

test('language by its first part; the very same regional variant first; ties by id', () => {
  const lamp = { products: ['LAMP-1'] };
  const stories = [
    story('b-de', { tags: lamp, locale: 'de' }),
    story('a-at', { tags: lamp, locale: 'de-AT' }),
  ];
  assert.equal(matchStory(stories, buyer({ locale: 'de-AT' }))?.story.id, 'a-at');
  assert.equal(matchStory(stories, buyer({ locale: 'de' }))?.story.id, 'b-de');
  assert.equal(matchStory(stories, buyer({ locale: 'de-CH' }))?.story.id, 'a-at', 'equal scores: by id');
  assert.equal(matchStory(stories, buyer({ locale: 'fr' })), null);
});

test('use cases come from the order, else the customer, as text or a list', () => {
  assert.deepEqual(useCasesOf({ use_case: 'studio' }, { use_cases: ['home'] }), ['studio']);
  assert.deepEqual(useCasesOf({}, { use_cases: ['home', 3, ' '] }), ['home']);
  assert.deepEqual(useCasesOf({}, {}), []);
});
