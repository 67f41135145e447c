// `measurement: true` on a step: which steps may carry it, and the errors that name file, line,
// column and field when one may not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue, parsePlaybook, type PlaybookIssue } from './parse.js';
import { playbookDefinition } from './snapshot.js';

const HEAD = 'name: test\nversion: 1\nsteps:\n';

function step(lines: string): string {
  return `${HEAD}  - key: ask\n    timing: { after: 7d, from: delivered, at: '10:00' }\n${lines}`;
}

function issuesOf(text: string): PlaybookIssue[] {
  const result = parsePlaybook(text, 'shop.yaml');
  assert.equal(result.ok, false, 'expected the playbook to be invalid');
  return result.ok ? [] : result.issues;
}

describe('measurement: true', () => {
  test('on an e-mail survey step: kept on the step', () => {
    const result = parsePlaybook(
      step('    channel: email\n    purpose: reassurance\n    survey: csat\n    measurement: true\n'),
      'shop.yaml',
    );
    assert.ok(result.ok, result.ok ? '' : result.issues.map(formatIssue).join('\n'));
    assert.equal(result.playbook.steps[0]!.measurement, true);
  });

  test('false, or left out, leaves no trace in the stored definition (old fingerprints hold)', () => {
    const base = step('    channel: email\n    purpose: reassurance\n    survey: csat\n');
    const plain = parsePlaybook(base, 'shop.yaml');
    const off = parsePlaybook(`${base}    measurement: false\n`, 'shop.yaml');
    assert.ok(plain.ok && off.ok);
    assert.equal('measurement' in plain.playbook.steps[0]!, false);
    assert.equal(playbookDefinition(off.playbook), playbookDefinition(plain.playbook));
    assert.doesNotMatch(playbookDefinition(plain.playbook), /measurement/);
  });

  test('without a survey: an error at the field, with file, line and column', () => {
    const issues = issuesOf(step('    channel: email\n    purpose: reassurance\n    measurement: true\n'));
    assert.equal(issues.length, 1, JSON.stringify(issues));
    const issue = issues[0]!;
    assert.equal(issue.field, 'steps[0].measurement');
    assert.equal(issue.line, 8);
    assert.equal(issue.column, 18);
    assert.match(formatIssue(issue), /^shop\.yaml:8:18 steps\[0\]\.measurement: needs survey: csat or nps/);
  });

  test('on a task channel: needs a message channel', () => {
    const issues = issuesOf(
      step('    channel: task:call\n    purpose: reassurance\n    survey: nps\n    measurement: true\n'),
    );
    const fields = issues.map((i) => `${i.field}: ${i.message}`);
    assert.ok(
      fields.includes('steps[0].measurement: needs a message channel (email, sms or webhook), not task:call'),
      fields.join('\n'),
    );
  });

  test('on an offer or an education step: the holdout must not get program content', () => {
    for (const purpose of ['offer', 'education']) {
      const issues = issuesOf(
        step(`    channel: email\n    purpose: ${purpose}\n    survey: nps\n    measurement: true\n`),
      );
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.equal(issues[0]!.field, 'steps[0].measurement');
      assert.match(issues[0]!.message, new RegExp(`cannot be purpose: ${purpose}`));
    }
  });

  test('not a boolean', () => {
    const issues = issuesOf(
      step('    channel: email\n    purpose: reassurance\n    survey: nps\n    measurement: yes please\n'),
    );
    assert.deepEqual(
      issues.map((i) => `${i.field}: ${i.message}`),
      ['steps[0].measurement: must be true or false'],
    );
  });

  test('a misspelling is caught with a suggestion', () => {
    const issues = issuesOf(
      step('    channel: email\n    purpose: reassurance\n    survey: nps\n    measurment: true\n'),
    );
    assert.match(issues[0]!.message, /unknown field "measurment" \(did you mean "measurement"\?\)/);
  });
});
