import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSharedPlans } from '../core/measuring/sharedPlans.js';
import { report } from './fixture.test-helpers.js';
import { formatReportHtml } from './html.js';
import { formatReportText } from './text.js';

const deals = compareSharedPlans([
  { shared: true, nps: 10, renewed: true, renewable: true },
  { shared: false, nps: 3, renewed: false, renewable: true },
]);

test('the text report compares deal customers, and says it is descriptive', () => {
  const text = formatReportText({ ...report, deals });
  assert.match(text, /Deals: plan shared before closing, or not/);
  assert.match(text, /plan shared\s+1\s+1 of 1\s+100\.0%\s+1\s+100/);
  assert.match(text, /not shared\s+1\s+0 of 1\s+0\.0%\s+1\s+-100/);
  assert.match(text, /not a randomized lift/);
});

test('the HTML report has the same section; none without deals', () => {
  const html = formatReportHtml({ ...report, deals });
  assert.match(html, /<h2 id="deals">Deals: plan shared before closing, or not<\/h2>/);
  assert.match(html, /not a randomized lift/);
  assert.doesNotMatch(formatReportHtml(report), /id="deals"/);
  assert.doesNotMatch(formatReportText({ ...report, deals: compareSharedPlans([]) }), /Deals:/);
});
