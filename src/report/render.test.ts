// The report's text and HTML forms: verdicts first, every number where a reader looks for it, and
// an HTML file that is well-formed, self-contained (no script, no URL) and escapes what data says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { report } from './fixture.test-helpers.js';
import { formatReportHtml } from './html.js';
import { formatReportText } from './text.js';
import type { ReportView } from './view.js';

const VOID = new Set(['meta', 'br', 'img', 'input', 'link', 'hr']);

/** Every element closed, in order (self-closing SVG elements and void HTML elements aside). */
function assertWellFormed(html: string): void {
  const stack: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, rawName, selfClosing] = match;
    const name = rawName!.toLowerCase();
    if (closing) {
      const open = stack.pop();
      assert.equal(open, name, `</${name}> closes <${open}> at ${match.index}`);
    } else if (!selfClosing && !VOID.has(name)) stack.push(name);
  }
  assert.deepEqual(stack, [], 'elements left open');
  // Only our own markup: every < starts a tag, every & an entity.
  assert.doesNotMatch(html.replace(/<\/?[a-zA-Z][^<>]*>/g, '').replace(/^<!doctype html>/, ''), /[<>]/);
  assert.doesNotMatch(html, /&(?!(amp|lt|gt|quot|#39);)/);
}

describe('formatReportText', () => {
  const text = formatReportText(report);

  test('puts the lift verdicts before any table of detail', () => {
    const verdicts = text.indexOf('Does the program work?');
    assert.ok(verdicts >= 0 && verdicts < text.indexOf('What the program did'));
    for (const lift of report.lift) assert.ok(text.includes(lift.verdict), `verdict of ${lift.metric}`);
    assert.match(text, /Returns\s+5\.0%\s+900\s+9\.0%\s+100\s+-4\.0 pts/);
  });

  test('shows steps with their channel, reasons, segments, weeks and gaps', () => {
    assert.match(text, /csat \(measurement\)\s+email\s+880/);
    assert.match(text, /check-in<b>: skipped concern_open 12/);
    assert.match(text, /2026-W10/);
    assert.match(
      text,
      /Delivery <arrives> & "works"\s+4\.60 asked\s+3\.10 survey\s+1\.50\s+concentrate here/,
    );
    assert.match(text, /Tell the carrier <now>\s+ops\s+2026-07-01/);
  });
});

describe('the period line', () => {
  test('says when every number is current, and how many days are shown as last counted', () => {
    assert.match(
      formatReportText(report),
      /^Aftercare report: orders placed 2026-03-01 to 2026-03-31, as of 2026-06-15 00:00 UTC$/m,
    );
    const lagged: ReportView = {
      ...report,
      period: { ...report.period, lag: { days: 3, countedAt: '2026-06-14T23:56:10.000Z' } },
    };
    const line =
      'as of 2026-06-15 00:00 UTC; 3 days of purchases changed since 2026-06-14 23:56 UTC are shown as counted then';
    assert.ok(formatReportText(lagged).includes(line));
    assert.ok(formatReportHtml(lagged).includes(line));
    const one = formatReportText({
      ...lagged,
      period: { ...lagged.period, lag: { days: 1, countedAt: '2026-06-14T23:56:10.000Z' } },
    });
    assert.match(one, /1 day of purchases changed since 2026-06-14 23:56 UTC is shown as counted then/);
  });
});

describe('formatReportHtml', () => {
  const html = formatReportHtml(report);

  test('is one well-formed document with headings, captions and header cells', () => {
    assert.ok(html.startsWith('<!doctype html><html lang="en">'));
    assertWellFormed(html);
    assert.match(html, /<h1>Aftercare report<\/h1>/);
    assert.match(html, /<caption>/);
    assert.match(html, /<th scope="col">/);
    assert.match(html, /<th scope="row">/);
  });

  test('needs nothing from outside: no script, no URL, no external resource', () => {
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /https?:|\/\/[a-z]/i);
    assert.doesNotMatch(html, /\b(src|href)=/i);
    assert.doesNotMatch(html, /@import|url\(/i);
  });

  test('escapes what the data says', () => {
    assert.ok(html.includes('Delivery &lt;arrives&gt; &amp; &quot;works&quot;'));
    assert.ok(html.includes('check-in&lt;b&gt;'));
    assert.ok(html.includes('Tell the carrier &lt;now&gt;'));
    assert.ok(!html.includes('<b>'));
  });

  test('carries every lift verdict and labelled charts', () => {
    for (const lift of report.lift) {
      const escaped = lift.verdict
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
      assert.ok(html.includes(escaped), `verdict of ${lift.metric}`);
    }
    const charts = [...html.matchAll(/<svg role="img"[^>]*aria-labelledby="(chart\d+)t \1d"/g)];
    // Five lift charts, one step chart, one quadrant chart.
    assert.equal(charts.length, 7);
    assert.equal(new Set(charts.map((m) => m[1])).size, 7, 'chart ids are unique');
    assert.match(html, /<title id="chart\d+t">Importance against performance/);
  });

  test('the same report renders the same file', () => {
    assert.equal(formatReportHtml(report), html);
  });
});
