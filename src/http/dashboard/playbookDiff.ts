// Two versions of a playbook compared: the playbook's own settings that differ, and each step
// added, removed or changed (with the fields that changed, old and new), matched by step key.
// The order is the newer version's, with a removed step kept where it stood in the older one.
import { formatDuration } from '../../core/playbook/duration.js';
import type { Playbook, Step } from '../../core/playbook/types.js';
import { stepFields } from './playbookSteps.js';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface StepChange {
  key: string;
  change: 'added' | 'removed' | 'changed' | 'same';
  before: Step | null;
  after: Step | null;
  /** The fields that differ (changed steps only). */
  fields: FieldChange[];
}

export interface PlaybookDiff {
  settings: FieldChange[];
  steps: StepChange[];
  counts: Record<StepChange['change'], number>;
}

function settingsOf(playbook: Playbook): Record<string, string> {
  return {
    description: playbook.description ?? '',
    'exit on': playbook.exitOn.join(', '),
    'return window': formatDuration(playbook.returnWindowMs),
    'delay grace': formatDuration(playbook.delayGraceMs),
    'stale after': Number.isFinite(playbook.staleAfterMs) ? formatDuration(playbook.staleAfterMs) : 'never',
    'renewal gap':
      playbook.renewalGapMs === undefined ? '3d (default)' : formatDuration(playbook.renewalGapMs),
  };
}

function changes(before: Record<string, string>, after: Record<string, string>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => (before[field] ?? '') !== (after[field] ?? ''))
    .map((field) => ({ field, before: before[field] ?? '', after: after[field] ?? '' }));
}

export function diffPlaybooks(before: Playbook, after: Playbook): PlaybookDiff {
  const old = new Map(before.steps.map((s) => [s.key, s]));
  const now = new Set(after.steps.map((s) => s.key));
  const steps: StepChange[] = [];
  const removed = (step: Step): StepChange => ({
    key: step.key,
    change: 'removed',
    before: step,
    after: null,
    fields: [],
  });
  // Removed steps that stood before the first kept one come first.
  let cursor = 0;
  const flushRemovedUntil = (key: string | null): void => {
    while (cursor < before.steps.length) {
      const step = before.steps[cursor]!;
      if (step.key === key) {
        cursor += 1;
        return;
      }
      if (now.has(step.key)) return;
      steps.push(removed(step));
      cursor += 1;
    }
  };
  for (const step of after.steps) {
    const was = old.get(step.key);
    if (was === undefined) {
      steps.push({ key: step.key, change: 'added', before: null, after: step, fields: [] });
      continue;
    }
    flushRemovedUntil(step.key);
    const fields = changes(stepFields(was), stepFields(step));
    steps.push({
      key: step.key,
      change: fields.length === 0 ? 'same' : 'changed',
      before: was,
      after: step,
      fields,
    });
  }
  for (const step of before.steps) {
    if (!now.has(step.key) && !steps.some((s) => s.key === step.key)) steps.push(removed(step));
  }
  const counts = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const s of steps) counts[s.change] += 1;
  return { settings: changes(settingsOf(before), settingsOf(after)), steps, counts };
}
