// Guards the pinning of built-in playbooks: a store refuses a playbook whose steps or templates
// changed under the same `version:` (AFTERCARE_E_PLAYBOOK_VERSION_CHANGED), so a release that
// edits a built-in playbook or one of its default templates (partials included) must raise the
// playbook's version. This test fails when the content changed but the version did not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { builtinPlaybookNames, loadPlaybooks } from '../../src/app/playbooks.js';
import { playbookDefinition, playbookFingerprint, templateNames } from '../../src/core/playbook/snapshot.js';

interface Known {
  version: number;
  fingerprint: string;
}

const FILE = new URL('./fingerprints.json', import.meta.url);

test('every built-in playbook that changed has a new version number', async () => {
  const known = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, Known>;
  const names = await builtinPlaybookNames();
  const { playbooks, renderer } = await loadPlaybooks(names);
  const now: Record<string, Known> = {};
  for (const playbook of playbooks) {
    const definition = playbookDefinition(playbook);
    now[playbook.name] = {
      version: playbook.version,
      fingerprint: playbookFingerprint(definition, renderer.sources(templateNames(playbook))),
    };
  }
  for (const [name, current] of Object.entries(now)) {
    const before = known[name];
    if (before === undefined || before.version !== current.version) continue;
    assert.equal(
      current.fingerprint,
      before.fingerprint,
      `playbook ${name} or one of its templates changed but its version is still ${current.version}: ` +
        `raise "version:" in playbooks/${name}.yaml, then record it in test/playbooks/fingerprints.json`,
    );
  }
  assert.deepEqual(
    now,
    known,
    'test/playbooks/fingerprints.json should hold each built-in playbook at its current version: ' +
      JSON.stringify(now, null, 2),
  );
});
