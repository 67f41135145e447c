// A playbook version as data: the parsed playbook without where it was read from, so the version
// that planned a touch point can be stored and rebuilt exactly, and a fingerprint of it and its
// templates, so the same name and version can never silently mean other content.
import { createHash } from 'node:crypto';
import type { Playbook } from './types.js';

/** Numbers JSON cannot hold (an unlimited stale_after) travel as strings. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

export function playbookDefinition(playbook: Playbook): string {
  const { source: _source, templatesDir: _dir, ...definition } = playbook;
  return JSON.stringify(definition, replacer);
}

/** The playbook a stored definition describes; `source` says where it came from (for messages). */
export function playbookFromDefinition(definition: string, source: string): Playbook {
  return { ...(JSON.parse(definition, reviver) as Omit<Playbook, 'source'>), source, templatesDir: null };
}

export function playbookFingerprint(definition: string, templates: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256').update(definition);
  for (const name of Object.keys(templates).sort())
    hash.update('\u0000').update(name).update('\u0000').update(templates[name]!);
  return hash.digest('hex');
}

/** Every template a playbook's steps name, each once. */
export function templateNames(playbook: Playbook): string[] {
  return [...new Set(playbook.steps.map((step) => step.template))].sort();
}
