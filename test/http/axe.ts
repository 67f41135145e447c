// What the browser tests share: where Chromium is (AFTERCARE_CHROMIUM), skipping a test with a
// message when it is missing (except in CI, AFTERCARE_REQUIRE_POSTGRES=1, where that fails), and
// axe-core run in a page: no serious or critical violation may remain. axe is injected inline,
// which the app's CSP rightly forbids: a page the app serves is checked in a `bypassCSP` context.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const CHROMIUM = process.env.AFTERCARE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The `skip` of a describe that drives Chromium: false when it is there, a message when it is not
 * (`what` names the test: `accessibility`, `dashboard`). Throws in CI, where it must be there.
 */
export function skipWithoutChromium(what: string): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.AFTERCARE_REQUIRE_POSTGRES === '1')
    throw new Error(`Chromium is required in CI for the ${what} test: none at ${CHROMIUM}`);
  return `Chromium not found at ${CHROMIUM} (set AFTERCARE_CHROMIUM); ${what} not checked`;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe on the page as it is now; fails naming each serious or critical violation and where. */
export async function assertAccessible(page: Page, what?: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  // A string, run in the page: the project's TypeScript has no DOM types.
  const found = await page.evaluate<Violation[]>('axe.run().then((result) => result.violations)');
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    [],
    what,
  );
}
