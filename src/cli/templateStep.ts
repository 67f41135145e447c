// Finding the step a `template` command names: in the playbook given with --playbook, else in
// the configured ones (AFTERCARE_PLAYBOOKS); errors name the step and the flag to use.
import { loadPlaybooks } from '../app/playbooks.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import type { Config } from '../config.js';
import type { TemplateRenderer } from '../templates/render.js';
import { usageError } from './exit.js';

export interface FoundStep {
  playbook: Playbook;
  step: Step;
  renderer: TemplateRenderer;
}

export async function findStep(
  config: Readonly<Config>,
  key: string,
  playbookRef: string | undefined,
): Promise<FoundStep> {
  const refs = playbookRef === undefined ? config.playbooks : [playbookRef];
  const { playbooks, renderer } = await loadPlaybooks(refs);
  const found = playbooks.flatMap((playbook) =>
    playbook.steps.filter((step) => step.key === key).map((step) => ({ playbook, step })),
  );
  const first = found[0];
  if (found.length > 1) {
    const names = found.map((f) => f.playbook.name).join(', ');
    throw usageError(`step "${key}" is in several playbooks (${names}): choose one with --playbook`, {
      step: key,
    });
  }
  if (first === undefined) {
    const keys = playbooks.flatMap((p) => p.steps.map((s) => s.key));
    const near = closest(key, keys);
    const where = playbooks.map((p) => p.name).join(', ');
    throw usageError(
      `STEP: no step "${key}" in playbook ${where}${near === null ? '' : ` (did you mean "${near}"?)`}; ` +
        `steps: ${keys.join(', ')}`,
      { step: key },
    );
  }
  return { ...first, renderer };
}

/** The known key nearest to `key` by edit distance, if it is near enough to be a slip. */
export function closest(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
