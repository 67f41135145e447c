// skeleton.ts is what email.mjml compiles to: edit the MJML, run `npm run layout`, commit both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLayout, SLOTS } from './compile.js';
import { SKELETON } from './skeleton.js';

test('skeleton.ts is email.mjml compiled by MJML (run `npm run layout` after editing it)', async () => {
  const fresh = await compileLayout();
  assert.deepEqual(SKELETON, fresh);
  assert.equal(SKELETON.parts.length, SKELETON.slots.length + 1);
  for (const slot of SLOTS) assert.ok(SKELETON.slots.includes(slot), slot);
});
