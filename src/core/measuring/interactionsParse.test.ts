import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatIssue } from '../playbook/parse.js';
import { MAX_CATALOGUE_BYTES, parseInteractions } from './interactionsParse.js';
import type { CatalogueTarget } from './interactions.js';

const PLAYBOOK: CatalogueTarget = {
  name: 'shop',
  steps: [
    { key: 'thank-you', survey: null },
    { key: 'order-shipped', survey: null },
    { key: 'checkin-week', survey: 'csat' },
    { key: 'checkin-month', survey: 'nps' },
  ],
};

const problems = (text: string, playbooks = [PLAYBOOK]): string[] => {
  const result = parseInteractions(text, 'i.yaml', playbooks);
  return result.ok ? [] : result.issues.map(formatIssue);
};

test('a catalogue maps interactions to steps, events and questions; a question takes its step survey', () => {
  const result = parseInteractions(
    [
      'playbook: shop',
      'overall: checkin-month',
      'interactions:',
      '  - id: delivery',
      '    name: Delivery',
      '    steps: [order-shipped, order-shipped]',
      '    events: [shipment.delivered]',
      '    questions: [{ step: checkin-week, survey: csat }]',
      '  - id: confirmation',
      '    name: Order confirmation',
      '    description: "  The first hours. "',
      '    steps: [thank-you]',
    ].join('\n'),
    'i.yaml',
    [PLAYBOOK],
  );
  assert.ok(result.ok);
  assert.deepEqual(result.catalogue, {
    playbook: 'shop',
    source: 'i.yaml',
    overall: { step: 'checkin-month', survey: 'nps' },
    interactions: [
      {
        id: 'delivery',
        name: 'Delivery',
        description: null,
        steps: ['order-shipped'],
        events: ['shipment.delivered'],
        questions: [{ step: 'checkin-week', survey: 'csat' }],
      },
      {
        id: 'confirmation',
        name: 'Order confirmation',
        description: 'The first hours.',
        steps: ['thank-you'],
        events: [],
        questions: [],
      },
    ],
  });
});

test('unknown steps, questions without a survey, wrong surveys and duplicates name line, column and field', () => {
  assert.deepEqual(
    problems(
      [
        'playbook: shop',
        'overall: thank-you',
        'interactions:',
        '  - id: delivery',
        '    name: Delivery',
        '    steps: [order-shiped]',
        '    questions: [{ step: checkin-month, survey: csat }]',
        '  - id: delivery',
        '    name: Again',
      ].join('\n'),
    ),
    [
      'i.yaml:2:10 overall: step "thank-you" asks no survey question',
      'i.yaml:6:13 interactions[0].steps[0]: playbook "shop" has no step "order-shiped" (did you mean "order-shipped"?)',
      'i.yaml:7:48 interactions[0].questions[0].survey: step "checkin-month" asks nps, not csat',
      'i.yaml:8:9 interactions[1].id: duplicate interaction id "delivery" (also interactions[0])',
    ],
  );
});

test('the schema: unknown fields with a guess, bad events, a missing name, an unknown playbook', () => {
  assert.deepEqual(
    problems(
      [
        'playbook: shop',
        'interactions:',
        '  - id: Delivery',
        '    stepz: []',
        '    events: [shipment.lost]',
      ].join('\n'),
    ),
    [
      'i.yaml:3:9 interactions[0].id: must use only lower-case letters, digits and -',
      'i.yaml:3:5 interactions[0].name: is required',
      'i.yaml:4:5 interactions[0].stepz: unknown field "stepz" (did you mean "steps"?)',
      'i.yaml:5:14 interactions[0].events[0]: Invalid option: expected one of "order.placed"|"order.updated"|"order.started"|"order.onboarded"|"shipment.shipped"|"shipment.in_transit"|"shipment.delayed"|"shipment.exception"|"shipment.out_for_delivery"|"shipment.delivered"|"order.returned"|"order.cancelled"|"order.renewed"|"purchase.repeated"|"survey.answered"|"reply.received"|"concern.raised"|"concern.acknowledged"|"concern.resolved"|"task.completed"|"customer.preferences_changed"|"customer.unsubscribed"|"customer.resubscribed"|"email.bounced"|"customer.contact_changed"',
    ].sort(),
  );
  assert.deepEqual(problems('playbook: shp\ninteractions: [{ id: a, name: A }]\n'), [
    'i.yaml:1:11 playbook: no playbook "shp" (did you mean "shop"? configured: shop)',
  ]);
  assert.deepEqual(problems('playbook: shop\ninteractions: []\n'), [
    'i.yaml:2:15 interactions: must list at least one interaction',
  ]);
  assert.match(problems('playbook: [\n')[0]!, /^i\.yaml:\d+:\d+ /);
  assert.deepEqual(problems('- a\n'), [
    'i.yaml:1:1 a catalogue must be a YAML map with playbook and interactions',
  ]);
});

test('size and alias limits, as for playbooks', () => {
  assert.match(problems(`# ${'x'.repeat(MAX_CATALOGUE_BYTES)}\n`)[0]!, /at most 65536 are read/);
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from({ length: 120 }, (_, i) => `b${i}: *a`),
  ];
  assert.match(problems(bomb.join('\n'))[0]!, /cannot be expanded/);
});

test('the built-in catalogue matches the built-in playbook', async () => {
  const { builtinPlaybookPath, loadPlaybookFile } = await import('../../app/playbooks.js');
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
  const path = new URL('../../../playbooks/interactions.yaml', import.meta.url);
  const result = parseInteractions(readFileSync(path, 'utf8'), 'interactions.yaml', [playbook]);
  assert.ok(result.ok, result.ok ? '' : result.issues.map(formatIssue).join('\n'));
  assert.equal(result.catalogue.overall?.step, 'checkin-month');
  const mapped = new Set(result.catalogue.interactions.flatMap((i) => i.steps));
  // Every step of the playbook belongs to some moment, but the overall question.
  assert.deepEqual(
    playbook.steps.map((s) => s.key).filter((key) => !mapped.has(key)),
    ['checkin-month'],
  );
});
