// The shared axe runner fails on what it should: a serious violation is named with its place,
// and a clean page passes. Skipped with a message without Chromium, except in CI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, assertAccessible, skipWithoutChromium } from './axe.js';

const skip = skipWithoutChromium('accessibility');

let browser: Browser;

describe('assertAccessible', { skip }, () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
  });

  test('names a serious violation and where it is; passes a clean page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      const head = '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>';
      await page.setContent(`${head}<img id="photo" src="data:,"></main></body></html>`);
      await assert.rejects(assertAccessible(page, 'the photo page'), (error: Error) => {
        assert.match(error.message, /the photo page/);
        assert.match(error.message, /image-alt \(critical\): .* at \[\["#photo"\]\]/);
        return true;
      });
      await page.setContent(`${head}<img id="photo" alt="A lamp" src="data:,"></main></body></html>`);
      await assertAccessible(page, 'the same page with alt text');
    } finally {
      await context.close();
    }
  });
});
