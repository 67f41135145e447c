// Playbook commands: the running playbooks, and the check of a playbook under edit, which points
// at every problem and tells a remote caller nothing about this machine's folders.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { DomainEvent } from '../../core/domain.js';
import { playbookDefinition, playbookFingerprint } from '../../core/playbook/snapshot.js';
import { AftercareError } from '../../errors.js';
import { TemplateRenderer } from '../../templates/render.js';
import type { SimulationResult } from '../simulation.js';
import { playbookCommands, SIMULATION_LIMITS, type Simulate } from './playbooks.js';
import { commandWorld, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
beforeEach(async () => {
  w = await commandWorld();
});
afterEach(() => w.close());

const GOOD = [
  'name: check',
  'version: 1',
  'steps:',
  '  - key: thanks',
  '    template: thank-you',
  '    channel: email',
  '    purpose: reassurance',
  '    timing: { after: 1d, from: placed }',
  '',
].join('\n');

describe('playbook commands', () => {
  test('list and get the running playbooks', () => {
    assert.deepEqual(
      w.commands.playbooks.list().map((p) => p.name),
      ['reassure'],
    );
    assert.equal(w.commands.playbooks.get('reassure')?.name, 'reassure');
    assert.equal(w.commands.playbooks.get('nope'), null);
  });

  test('a valid playbook is valid, and comes back parsed', () => {
    const checked = w.commands.playbooks.validate(GOOD, 'request');
    assert.deepEqual(checked.issues, []);
    assert.equal(checked.valid, true);
    assert.equal(checked.playbook?.name, 'check');
  });

  test('invalid YAML: every issue with line and field, and no playbook', () => {
    const checked = w.commands.playbooks.validate(GOOD.replace('after: 1d', 'after: soon'), 'request');
    assert.equal(checked.valid, false);
    assert.equal(checked.playbook, null);
    assert.deepEqual(
      checked.issues.map((i) => [i.file, i.line, i.field]),
      [['request', 8, 'steps[0].timing.after']],
    );
  });

  test('a missing or ill-fitting template is an issue at the step, naming no folder or file', () => {
    const text = GOOD.replace('template: thank-you', 'template: no-such-template').concat(
      '  - key: call\n    template: thank-you\n    channel: task:call\n    purpose: reassurance\n    timing: { after: 2d }\n',
    );
    const checked = w.commands.playbooks.validate(text, 'request');
    assert.equal(checked.valid, false);
    assert.equal(checked.playbook?.name, 'check', 'the YAML itself is fine');
    assert.deepEqual(
      checked.issues.map((i) => [i.field, i.line]),
      [
        ['steps[0].template', 5],
        ['steps[1].template', 10],
      ],
    );
    assert.equal(checked.issues[0]!.message, 'no template "no-such-template" on this server');
    assert.match(checked.issues[1]!.message, /has no title, and tasks need one$/);
    assert.ok(
      checked.issues.every((i) => !i.message.includes('/')),
      'no path is shown',
    );
  });

  test('templates are looked up among those given, not the defaults alone', () => {
    const bare = playbookCommands({
      playbooks: [],
      templates: new TemplateRenderer({ dirs: [], includeDefaults: false }),
    });
    assert.deepEqual(bare.list(), []);
    const checked = bare.validate(GOOD, 'draft.yaml');
    assert.deepEqual(
      checked.issues.map((i) => [i.file, i.field]),
      [['draft.yaml', 'steps[0].template']],
    );
  });

  test('recorded versions: listed oldest first, each rebuilt from its stored definition', async () => {
    const running = w.commands.playbooks.get('reassure')!;
    const older = { ...running, version: running.version - 1, steps: running.steps.slice(0, 2) };
    for (const p of [running, older]) {
      const definition = playbookDefinition(p);
      await w.store.playbooks.registerPlaybookVersion({
        name: p.name,
        version: p.version,
        fingerprint: playbookFingerprint(definition, {}),
        definition,
        templates: {},
        registeredAt: 1_000 * p.version,
      });
    }
    const versions = await w.commands.playbooks.versions('reassure');
    assert.deepEqual(
      versions.map((v) => [v.version, v.registeredAt]),
      [
        [older.version, 1_000 * older.version],
        [running.version, 1_000 * running.version],
      ],
    );
    const rebuilt = await w.commands.playbooks.version('reassure', older.version);
    assert.deepEqual(
      rebuilt?.steps.map((s) => s.key),
      older.steps.map((s) => s.key),
    );
    assert.equal(await w.commands.playbooks.version('reassure', 99), null);
    assert.deepEqual(await w.commands.playbooks.versions('nope'), []);
  });

  test('simulating: bounded in days, events and orders, one run at a time, given a deadline', async () => {
    const placed = (id: string): DomainEvent => ({
      id: `p-${id}`,
      type: 'order.placed',
      at: 0,
      customerId: null,
      orderId: id,
      customer: { email: `${id}@example.com` },
      order: { placedAt: 0 },
      data: {},
    });
    const calls: Parameters<Simulate>[0][] = [];
    let release: () => void = () => undefined;
    const empty = { deliveries: [], concerns: [], customers: [], summary: {} } as unknown as SimulationResult;
    const commands = playbookCommands({
      playbooks: w.playbooks,
      templates: new TemplateRenderer({ dirs: [], includeDefaults: true }),
      wallNow: () => 5_000,
      simulate: (input) => {
        calls.push(input);
        return new Promise((resolve) => (release = () => resolve(empty)));
      },
    });
    const refused = async (request: Parameters<typeof commands.simulate>[0], pattern: RegExp) => {
      await assert.rejects(commands.simulate(request), (error: unknown) => {
        assert.ok(error instanceof AftercareError);
        assert.match(error.message, pattern);
        return true;
      });
    };
    await refused({ events: [placed('a')], days: 0 }, /days: must be a whole number from 1 to 120/);
    await refused({ events: [placed('a')], days: 121 }, /days/);
    await refused({ events: [], days: 10 }, /no orders/);
    const orders = Array.from({ length: SIMULATION_LIMITS.orders + 1 }, (_, i) => placed(`o${i}`));
    await refused({ events: orders, days: 10 }, /51 orders; at most 50/);
    await refused({ events: [placed('a')], days: 10, playbook: 'nope' }, /no playbook named "nope"/);
    assert.equal(calls.length, 0);

    const first = commands.simulate({ events: [placed('a')], days: 10, playbook: 'reassure' });
    await refused({ events: [placed('b')], days: 10 }, /another simulation is running/);
    release();
    assert.equal(await first, empty);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.deadline, 5_000 + SIMULATION_LIMITS.budgetMs);
    assert.deepEqual(
      calls[0]!.playbooks.map((p) => p.name),
      ['reassure'],
    );
    // Once done, the next may run.
    const second = commands.simulate({ events: [placed('b')], days: 10 });
    release();
    assert.equal(await second, empty);
  });
});
