// Configuration of the tip series education steps send (AFTERCARE_TIPS_DIR; default the built-in
// samples in playbooks/tips/). Every *.yaml or *.yml file in the folder is one series, read and
// checked once with the rest of the config, so a bad file stops start-up with every problem as
// FILE:LINE:COL: field: message. A folder of the business's own replaces the samples entirely.
// config.ts merges these variables into its own; docs/configuration.md documents them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from '../config.js';
import { parseTipSeries } from '../core/education/parse.js';
import type { TipCatalogue, TipSeries } from '../core/education/series.js';
import { formatIssue } from '../core/playbook/parse.js';
import { packagePath } from '../templates/paths.js';
import { text } from './env.js';

export const TIPS_ENV = {
  AFTERCARE_TIPS_DIR: text,
};

type TipsEnv = { [K in keyof typeof TIPS_ENV]: z.output<(typeof TIPS_ENV)[K]> };

/** A folder of more series than this is a mistake (each is read at start-up). */
export const MAX_TIP_SERIES_FILES = 500;

/** The built-in sample series' folder. */
export function builtinTipsDir(): string {
  return packagePath('playbooks/tips');
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
}

/** The catalogue; null (with issues) when the folder or a file cannot be read or is invalid. */
export function loadTips(values: Partial<TipsEnv>, issues: ConfigIssue[]): TipCatalogue | null {
  const variable = 'AFTERCARE_TIPS_DIR';
  const dir = values.AFTERCARE_TIPS_DIR ?? builtinTipsDir();
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort();
  } catch (error) {
    issues.push({ variable, problem: `cannot read the folder "${dir}" (${codeOf(error)})` });
    return null;
  }
  if (files.length > MAX_TIP_SERIES_FILES) {
    issues.push({
      variable,
      problem: `"${dir}" has ${files.length} series; at most ${MAX_TIP_SERIES_FILES} are read`,
    });
    return null;
  }
  const series: TipSeries[] = [];
  const before = issues.length;
  const ids = new Map<string, string>();
  for (const name of files) {
    const file = join(dir, name);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (error) {
      issues.push({ variable, problem: `cannot read "${file}" (${codeOf(error)})` });
      continue;
    }
    const parsed = parseTipSeries(source, file);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ variable, problem: formatIssue(issue) });
      continue;
    }
    const first = ids.get(parsed.series.id);
    if (first !== undefined) {
      const line = source.split('\n').findIndex((l) => /^id\s*:/.test(l)) + 1 || 1;
      issues.push({
        variable,
        problem: `${file}:${line}:1 id: "${parsed.series.id}" is also the id of ${first}`,
      });
      continue;
    }
    ids.set(parsed.series.id, file);
    series.push(parsed.series);
  }
  if (issues.length > before) return null;
  series.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { series };
}
