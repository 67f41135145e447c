import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DAY_MS, HOUR_MS } from './duration.js';
import { formatField, formatIssue, MAX_PLAYBOOK_BYTES, parsePlaybook, type PlaybookIssue } from './parse.js';

const REASSURE = fileURLToPath(new URL('../../../playbooks/reassure.yaml', import.meta.url));

/** Parse text that must be invalid; returns its issues. */
function issuesOf(text: string): PlaybookIssue[] {
  const result = parsePlaybook(text, 'test.yaml');
  assert.equal(result.ok, false, 'expected the playbook to be invalid');
  return result.ok ? [] : result.issues;
}

function only(text: string): PlaybookIssue {
  const issues = issuesOf(text);
  assert.equal(issues.length, 1, JSON.stringify(issues, null, 2));
  return issues[0]!;
}

const HEAD = 'name: test\nversion: 1\nsteps:\n';

describe('the default playbook', () => {
  test('is valid and keeps the whole program', () => {
    const result = parsePlaybook(readFileSync(REASSURE, 'utf8'), REASSURE);
    assert.ok(result.ok, result.ok ? '' : result.issues.map(formatIssue).join('\n'));
    const { playbook } = result;
    assert.equal(playbook.name, 'reassure');
    assert.deepEqual(playbook.exitOn, ['returned', 'cancelled']);
    assert.equal(playbook.returnWindowMs, 30 * DAY_MS);
    assert.equal(playbook.staleAfterMs, 3 * DAY_MS);
    const keys = playbook.steps.map((s) => s.key);
    for (const key of [
      'thank-you',
      'order-shipped',
      'delay-apology',
      'arrival-check',
      'arrival-call',
      'usage-tips',
      'checkin-week',
      'customer-story',
      'checkin-month',
      'month-call',
      'checkup-meeting',
      'thank-you-letter',
      'thank-you-gift',
      'renewal-heads-up',
      'renewal-call',
      'renewal-notice',
      'insider-offer',
      'return-followup',
      'cancel-followup',
    ]) {
      assert.ok(keys.includes(key), key);
    }
    const step = (key: string) => playbook.steps.find((s) => s.key === key)!;
    assert.deepEqual(step('thank-you').timing, {
      moment: 'placed',
      offsetMs: DAY_MS,
      atLocal: { hour: 10, minute: 0 },
    });
    assert.deepEqual(step('order-shipped').timing, { moment: 'shipped', offsetMs: 0, atLocal: null });
    assert.deepEqual(step('order-shipped').cancelOn, ['delivered']);
    assert.equal(step('renewal-heads-up').timing.offsetMs, -30 * DAY_MS);
    assert.equal(step('checkin-week').survey, 'csat');
    assert.equal(step('checkin-month').survey, 'nps');
    assert.equal(step('month-call').owner, 'account-manager');
    assert.deepEqual(step('month-call').timing.atLocal, { hour: 11, minute: 0 });
    assert.equal(step('insider-offer').purpose, 'offer');
    assert.deepEqual(step('return-followup').timing, { moment: 'returned', offsetMs: 0, atLocal: null });
    // arrival-check and arrival-call split the customers between them.
    assert.ok(step('arrival-check').when && 'not' in step('arrival-check').when!);
    assert.deepEqual(step('arrival-check').when, { not: step('arrival-call').when });
  });
});

describe('parsePlaybook normalizes', () => {
  test('defaults, snake_case and timing forms', () => {
    const result = parsePlaybook(
      `${HEAD}  - key: a\n    timing: { after: 90m }\n    channel: email\n    purpose: education\n` +
        `  - key: b\n    timing: { before: 2w, from: renewal, at: "9:30" }\n    channel: task:call\n    purpose: reassurance\n    owner: rep\n    template: call-script\n`,
      'dir/x.yaml',
    );
    assert.ok(result.ok);
    const { playbook } = result;
    assert.equal(playbook.description, null);
    assert.deepEqual(playbook.exitOn, ['returned', 'cancelled']);
    assert.equal(playbook.delayGraceMs, DAY_MS);
    assert.equal(playbook.templatesDir, null);
    assert.equal(playbook.source, 'dir/x.yaml');
    const [a, b] = playbook.steps;
    assert.deepEqual(a, {
      key: 'a',
      description: null,
      timing: { moment: 'placed', offsetMs: 1.5 * HOUR_MS, atLocal: null },
      channel: 'email',
      template: 'a',
      purpose: 'education',
      when: null,
      cancelOn: [],
      survey: null,
      owner: null,
    });
    assert.deepEqual(b?.timing, {
      moment: 'renewal',
      offsetMs: -14 * DAY_MS,
      atLocal: { hour: 9, minute: 30 },
    });
    assert.equal(b?.template, 'call-script');
    assert.equal(b?.owner, 'rep');
  });

  test('templates: resolves against the YAML file', () => {
    const result = parsePlaybook(
      `templates: ./mine\n${HEAD}  - key: a\n    timing: { on: placed }\n    channel: email\n    purpose: transactional\n`,
      '/etc/aftercare/p.yaml',
    );
    assert.ok(result.ok);
    assert.equal(result.playbook.templatesDir, '/etc/aftercare/mine');
  });
});

describe('parsePlaybook reports', () => {
  test('an alias bomb as a problem of the file, not an exception', () => {
    const levels = ['a: &l0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i += 1)
      levels.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const issue = only(`${levels.join('\n')}\n${HEAD}  - *l9\n`);
    assert.equal(issue.file, 'test.yaml');
    assert.match(issue.message, /cannot be expanded.*at most 100 aliases/);
  });

  test('a file over the size limit unparsed, saying the limit', () => {
    const started = performance.now();
    const issue = only(`${HEAD}${'  # padding\n'.repeat(100_000)}`);
    assert.match(issue.message, new RegExp(`at most ${MAX_PLAYBOOK_BYTES} are read`));
    assert.equal(issue.line, 1);
    assert.ok(performance.now() - started < 200);
  });

  test('a bad duration at its line, column and field', () => {
    const issue = only(
      `${HEAD}  - key: a\n    timing: { on: placed }\n    channel: email\n    purpose: transactional\n` +
        `  - key: b\n    timing:\n      after: 3days\n    channel: email\n    purpose: education\n`,
    );
    assert.equal(issue.file, 'test.yaml');
    assert.equal(issue.field, 'steps[1].timing.after');
    assert.equal(issue.line, 10);
    assert.equal(issue.column, 14);
    assert.match(issue.message, /duration like 90m, 2h, 1d or 3w, not "3days"/);
  });

  test('at that is not HH:MM, and at with a part-day offset', () => {
    const issues = issuesOf(
      `${HEAD}  - key: a\n    timing: { after: 1d, at: "25:00" }\n    channel: email\n    purpose: education\n` +
        `  - key: b\n    timing: { after: 36h, at: "10:00" }\n    channel: email\n    purpose: education\n`,
    );
    assert.deepEqual(
      issues.map((i) => [i.field, i.line, i.column]),
      [
        ['steps[0].timing.at', 5, 30],
        ['steps[1].timing.after', 9, 22],
      ],
    );
    assert.match(issues[0]!.message, /HH:MM/);
    assert.match(issues[1]!.message, /whole number of days/);
  });

  test('timing with none or several of after/before/on, and on with at', () => {
    const issues = issuesOf(
      `${HEAD}  - key: a\n    timing: { from: placed }\n    channel: email\n    purpose: education\n` +
        `  - key: b\n    timing: { after: 1d, on: shipped }\n    channel: email\n    purpose: education\n` +
        `  - key: c\n    timing: { on: shipped, at: "10:00" }\n    channel: email\n    purpose: education\n`,
    );
    assert.deepEqual(
      issues.map((i) => i.field),
      ['steps[0].timing', 'steps[1].timing', 'steps[2].timing.at'],
    );
    assert.match(issues[0]!.message, /needs one of after, before or on/);
    assert.match(issues[1]!.message, /only one of/);
  });

  test('duplicate step keys, pointing at the second', () => {
    const issue = only(
      `${HEAD}  - key: same\n    timing: { on: placed }\n    channel: email\n    purpose: transactional\n` +
        `  - key: same\n    timing: { on: shipped }\n    channel: email\n    purpose: transactional\n`,
    );
    assert.equal(issue.field, 'steps[1].key');
    assert.equal(issue.line, 8);
    assert.equal(issue.column, 10);
    assert.match(issue.message, /duplicate step key "same" \(also steps\[0\]\)/);
  });

  test('unknown keys at the key, with a suggestion', () => {
    const issues = issuesOf(
      `${HEAD}  - key: a\n    timing: { on: placed, form: x }\n    channel: email\n    purpose: transactional\n    cancelOn: [delivered]\n`,
    );
    assert.deepEqual(
      issues.map((i) => [i.field, i.line, i.column]),
      [
        ['steps[0].timing.form', 5, 27],
        ['steps[0].cancelOn', 8, 5],
      ],
    );
    assert.match(issues[0]!.message, /unknown field "form" \(did you mean "from"\?\)/);
    assert.match(issues[1]!.message, /did you mean "cancel_on"/);
  });

  test('unknown condition fields and operators inside when', () => {
    const issues = issuesOf(
      `${HEAD}  - key: a\n    timing: { on: placed }\n    channel: email\n    purpose: transactional\n` +
        `    when:\n      any:\n        - segment: b2b\n        - order.totl: { gte: 500 }\n        - order.total: { atleast: 500 }\n`,
    );
    assert.deepEqual(
      issues.map((i) => [i.field, i.line, i.column]),
      [
        ['steps[0].when.any[1]["order.totl"]', 11, 23],
        ['steps[0].when.any[2]["order.total"].atleast', 12, 35],
      ],
    );
    assert.match(issues[0]!.message, /unknown condition field "order.totl"/);
    assert.match(issues[1]!.message, /unknown operator "atleast"/);
  });

  test('missing fields and bad enums, all at once', () => {
    const issues = issuesOf(
      `name: Bad Name\nversion: 0\nexit_on: [gone]\nsteps:\n  - key: a\n    timing: { on: placed }\n    channel: fax\n`,
    );
    const byField = Object.fromEntries(issues.map((i) => [i.field, i]));
    assert.deepEqual(Object.keys(byField).sort(), [
      'exit_on[0]',
      'name',
      'steps[0].channel',
      'steps[0].purpose',
      'version',
    ]);
    assert.match(byField['name']!.message, /lower-case/);
    assert.match(byField['version']!.message, /1 or more/);
    assert.match(byField['exit_on[0]']!.message, /must be one of: placed, shipped/);
    assert.match(byField['steps[0].channel']!.message, /must be one of: email, sms/);
    // A missing field points at the map that should hold it: the step, on line 5.
    assert.equal(byField['steps[0].purpose']!.message, 'is required');
    assert.deepEqual([byField['steps[0].purpose']!.line, byField['steps[0].purpose']!.column], [5, 5]);
    assert.deepEqual(
      issues.map((i) => i.line),
      [...issues.map((i) => i.line)].sort((a, b) => a - b),
      'sorted by position',
    );
  });

  test('a survey on a task, and an owner on an e-mail', () => {
    const issues = issuesOf(
      `${HEAD}  - key: a\n    timing: { on: placed }\n    channel: task:call\n    purpose: reassurance\n    survey: nps\n` +
        `  - key: b\n    timing: { on: placed }\n    channel: email\n    purpose: reassurance\n    owner: rep\n`,
    );
    assert.deepEqual(
      issues.map((i) => i.field),
      ['steps[0].survey', 'steps[1].owner'],
    );
  });

  test('YAML syntax errors with their position', () => {
    const issues = issuesOf('name: test\nversion: 1\nsteps:\n  - key: a\n   bad: [unclosed\n');
    assert.ok(issues.length >= 1);
    assert.equal(issues[0]!.field, '');
    assert.ok(issues[0]!.line >= 4, `line ${issues[0]!.line}`);
    assert.ok(issues[0]!.column >= 1);
  });

  test('YAML duplicate keys are syntax errors', () => {
    const issue = issuesOf('name: test\nname: again\nversion: 1\nsteps: []\n')[0]!;
    assert.equal(issue.line, 2);
    assert.match(issue.message, /unique/i);
  });

  test('a document that is not a map', () => {
    assert.match(only('- just\n- a list\n').message, /must be a YAML map/);
    assert.match(only('').message, /must be a YAML map/);
  });

  test('an empty step list', () => {
    const issue = only('name: test\nversion: 1\nsteps: []\n');
    assert.equal(issue.field, 'steps');
    assert.equal(issue.line, 3);
    assert.equal(issue.column, 8);
  });
});

describe('formatting', () => {
  test('field paths quote keys that are not words', () => {
    assert.equal(formatField(['steps', 3, 'timing', 'after']), 'steps[3].timing.after');
    assert.equal(formatField(['steps', 0, 'when', 'order.total', 'gte']), 'steps[0].when["order.total"].gte');
    assert.equal(formatField([]), '');
  });

  test('issues read like compiler errors', () => {
    const issue = { file: 'p.yaml', line: 3, column: 7, field: 'steps[0].key', message: 'is required' };
    assert.equal(formatIssue(issue), 'p.yaml:3:7 steps[0].key: is required');
    assert.equal(formatIssue({ ...issue, field: '' }), 'p.yaml:3:7 is required');
  });
});
