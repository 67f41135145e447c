import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../playbook/duration.js';
import { formatIssue } from '../playbook/parse.js';
import {
  DEFAULT_SLA,
  defaultLadder,
  parseLadder,
  type LadderContext,
  type LadderIssue,
} from './ladderFile.js';

const CONTEXT: LadderContext = {
  escalationEmail: 'ines.duarte@loja.example.pt',
  workingHours: {
    zone: 'Europe/Lisbon',
    hours: { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 18, minute: 0 } },
  },
};

const GOOD = `# Escalation for the Lisbon shop
levels:
  - name: rep            # level 0: the concern's first owner
    notify: []
  - name: manager
    notify: [{email: lead@shop.example}, {webhook: "https://hooks.slack.example/T000/B000"}]
  - name: owner
    notify:
      - email: owner@shop.example
sla:
  critical: {acknowledge: 1h, resolve: 8h}
  high: {acknowledge: 4h, resolve: 1d}
  medium: {acknowledge: 1d, resolve: 3d}
  low: {acknowledge: 2d, resolve: 7d}
hours: business
`;

function issuesOf(text: string): LadderIssue[] {
  const result = parseLadder(text, 'ladder.yaml', CONTEXT);
  assert.equal(result.ok, false, 'expected the ladder to be invalid');
  return result.ok ? [] : result.issues;
}

function only(text: string): string {
  const issues = issuesOf(text);
  assert.equal(issues.length, 1, issues.map(formatIssue).join('\n'));
  return formatIssue(issues[0]!);
}

describe('a ladder file', () => {
  test('reads levels, notify targets, SLAs by severity and business hours', () => {
    const result = parseLadder(GOOD, '/etc/aftercare/ladder.yaml', CONTEXT);
    assert.ok(result.ok, result.ok ? '' : result.issues.map(formatIssue).join('\n'));
    const { ladder } = result;
    assert.deepEqual(
      ladder.levels.map((l) => l.name),
      ['rep', 'manager', 'owner'],
    );
    assert.deepEqual(ladder.levels[1]?.notify, [
      { kind: 'email', address: 'lead@shop.example' },
      { kind: 'webhook', url: 'https://hooks.slack.example/T000/B000' },
    ]);
    assert.deepEqual(ladder.levels[0]?.notify, []);
    assert.deepEqual(ladder.sla.critical, { acknowledgeMs: HOUR_MS, resolveMs: 8 * HOUR_MS });
    assert.deepEqual(ladder.sla.low, { acknowledgeMs: 2 * DAY_MS, resolveMs: 7 * DAY_MS });
    assert.deepEqual(ladder.workingHours, CONTEXT.workingHours);
    assert.equal(ladder.source, '/etc/aftercare/ladder.yaml');
  });

  test('leaves out notify, severities and hours: nobody, the default SLAs, calendar time', () => {
    const text =
      'levels:\n  - name: support\n  - name: head of care\nsla:\n  critical: {acknowledge: 30m, resolve: 4h}\n';
    const result = parseLadder(text, 'ladder.yaml', CONTEXT);
    assert.ok(result.ok);
    assert.deepEqual(result.ladder.levels[1], { name: 'head of care', notify: [] });
    assert.deepEqual(result.ladder.sla.critical, { acknowledgeMs: 30 * MINUTE_MS, resolveMs: 4 * HOUR_MS });
    assert.deepEqual(result.ladder.sla.medium, DEFAULT_SLA.medium);
    assert.equal(result.ladder.workingHours, null);
  });

  test('the built-in ladder: rep, manager and owner, both upper levels e-mail the escalation contact', () => {
    const ladder = defaultLadder(CONTEXT);
    assert.deepEqual(
      ladder.levels.map((l) => [l.name, l.notify]),
      [
        ['rep', []],
        ['manager', [{ kind: 'email', address: 'ines.duarte@loja.example.pt' }]],
        ['owner', [{ kind: 'email', address: 'ines.duarte@loja.example.pt' }]],
      ],
    );
    assert.deepEqual(ladder.sla, DEFAULT_SLA);
    assert.equal(ladder.workingHours, null);
  });
});

describe('a bad ladder file names file, line, column and field', () => {
  test('broken YAML', () => {
    assert.match(only('levels:\n  - name: rep\n    notify: [\n'), /^ladder\.yaml:\d+:\d+ /);
  });

  test('not a map, and an empty file', () => {
    assert.equal(
      only('- rep\n- manager\n'),
      'ladder.yaml:1:1 an escalation ladder must be a YAML map with levels and sla',
    );
    assert.match(only(''), /must be a YAML map/);
  });

  test('no levels, and an empty list of levels', () => {
    assert.equal(only('sla: {}\n'), 'ladder.yaml:1:1 levels: is required');
    assert.equal(only('levels: []\n'), 'ladder.yaml:1:9 levels: needs at least one level');
  });

  test('a misspelt field, with a guess', () => {
    assert.equal(
      only('levels:\n  - name: rep\n    notfy: []\n'),
      'ladder.yaml:3:5 levels[0].notfy: unknown field "notfy" (did you mean "notify"?)',
    );
    assert.equal(
      only('levels:\n  - name: rep\nsla:\n  urgent: {acknowledge: 1h, resolve: 2h}\n'),
      'ladder.yaml:4:3 sla.urgent: unknown field "urgent"',
    );
    assert.equal(
      only('levels:\n  - name: rep\nsla:\n  hihg: {acknowledge: 1h, resolve: 2h}\n'),
      'ladder.yaml:4:3 sla.hihg: unknown field "hihg" (did you mean "high"?)',
    );
  });

  test('a level without a name, and two levels of one name', () => {
    assert.equal(only('levels:\n  - notify: []\n'), 'ladder.yaml:2:5 levels[0].name: is required');
    assert.equal(
      only('levels:\n  - name: rep\n  - name: Rep\n'),
      'ladder.yaml:3:11 levels[1].name: "Rep" is already the name of levels[0]',
    );
  });

  test('notify targets: neither or both kinds, a bad address, a bad URL, credentials in a URL', () => {
    const head = 'levels:\n  - name: rep\n  - name: manager\n    notify:\n';
    assert.deepEqual(issuesOf(`${head}      - {sms: "+351912345678"}\n`).map(formatIssue), [
      'ladder.yaml:5:9 levels[1].notify[0]: needs exactly one of email or webhook',
      'ladder.yaml:5:10 levels[1].notify[0].sms: unknown field "sms"',
    ]);
    assert.deepEqual(issuesOf(`${head}      - {emial: lead@shop.example}\n`).map(formatIssue), [
      'ladder.yaml:5:9 levels[1].notify[0]: needs exactly one of email or webhook',
      'ladder.yaml:5:10 levels[1].notify[0].emial: unknown field "emial" (did you mean "email"?)',
    ]);
    assert.equal(
      only(`${head}      - {email: a@shop.example, webhook: "https://hooks.example/x"}\n`),
      'ladder.yaml:5:9 levels[1].notify[0]: needs exactly one of email or webhook',
    );
    assert.equal(
      only(`${head}      - email: lead at shop\n`),
      'ladder.yaml:5:16 levels[1].notify[0].email: "lead at shop" is not an e-mail address',
    );
    assert.equal(
      only(`${head}      - webhook: ftp://hooks.example/x\n`),
      'ladder.yaml:5:18 levels[1].notify[0].webhook: must be an https:// URL',
    );
    assert.match(
      only(`${head}      - webhook: https://user:pw@hooks.example/x\n`),
      /must not carry credentials/,
    );
  });

  test('SLAs: a bad duration, a missing one, resolve shorter than acknowledge, zero', () => {
    const head = 'levels:\n  - name: rep\nsla:\n';
    assert.equal(
      only(`${head}  high: {acknowledge: 4 hours, resolve: 1d}\n`),
      'ladder.yaml:4:23 sla.high.acknowledge: must be a duration like 90m, 2h, 1d or 3w, not "4 hours"',
    );
    assert.equal(only(`${head}  high: {acknowledge: 4h}\n`), 'ladder.yaml:4:9 sla.high.resolve: is required');
    assert.equal(
      only(`${head}  low: {acknowledge: 2d, resolve: 1d}\n`),
      'ladder.yaml:4:35 sla.low.resolve: must not be shorter than acknowledge (2d)',
    );
    assert.match(only(`${head}  low: {acknowledge: 0m, resolve: 1d}\n`), /more than 0 and at most 365d/);
  });

  test('hours other than business or calendar', () => {
    assert.equal(
      only('levels:\n  - name: rep\nhours: office\n'),
      'ladder.yaml:3:8 hours: must be business or calendar',
    );
  });

  test('every problem at once, in file order', () => {
    const issues = issuesOf(
      'levels:\n  - nam: rep\nsla:\n  high: {acknowledge: soon, resolve: 1d}\nhours: 9-5\n',
    );
    assert.deepEqual(
      issues.map((i) => [i.line, i.field]),
      [
        [2, 'levels[0].name'],
        [2, 'levels[0].nam'],
        [4, 'sla.high.acknowledge'],
        [5, 'hours'],
      ],
    );
  });
});
