// `aftercare audit import|list|compare`: team audits of the interaction catalogue. An import is
// all or nothing: a file with any problem imports nothing and every problem is printed with its
// file, line and column; a good file replaces the team's earlier audit. Works on an existing
// database only (AFTERCARE_E_STORE_NOT_FOUND), as `keys` does.
import { readFile } from 'node:fs/promises';
import { composeStore, type StoreApp } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { formatAuditIssue } from '../core/measuring/auditCsv.js';
import { AftercareError } from '../errors.js';
import { EXIT_OK, usageError } from './exit.js';

export async function withStoreApp<T>(work: (app: StoreApp) => Promise<T>): Promise<T> {
  const app = await composeStore(loadConfig(process.env), { create: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function noCatalogue(): AftercareError {
  return new AftercareError(
    'AFTERCARE_E_CONFIG',
    'there is no interaction catalogue for the configured playbooks: set AFTERCARE_INTERACTIONS_FILE (docs/gaps.md)',
    { variable: 'AFTERCARE_INTERACTIONS_FILE' },
  );
}

export async function auditImportCommand(file: string, options: { team: string }): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AftercareError('AFTERCARE_E_FILE_NOT_FOUND', `cannot read ${file}`, { file }, { cause: error });
  }
  const result = await withStoreApp((app) => app.commands.gaps.importAudit(options.team, text, file));
  if (!result.ok) {
    switch (result.why) {
      case 'invalid_team':
        throw usageError(
          '--team must be 1-100 letters, digits, spaces or . _ @ / -, starting with a letter or digit',
          {
            field: 'team',
          },
        );
      case 'no_catalogue':
        throw noCatalogue();
      case 'invalid_file': {
        const count = result.issues.length === 1 ? '1 problem' : `${result.issues.length} problems`;
        throw new AftercareError(
          'AFTERCARE_E_CSV_INVALID',
          `${file} has ${count}; nothing was imported:\n${result.issues.map(formatAuditIssue).join('\n')}`,
          { file, issues: result.issues },
        );
      }
    }
  }
  const was = result.replaced === 0 ? '' : ` (replacing its earlier audit of ${result.replaced})`;
  process.stdout.write(
    `Imported the audit of team "${result.team}": ${result.imported} interactions${was}.\n`,
  );
  return EXIT_OK;
}

export async function auditListCommand(options: { json?: boolean }): Promise<number> {
  const { teams, entries } = await withStoreApp((app) => app.commands.gaps.listAudits());
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ teams, entries })}\n`);
    return EXIT_OK;
  }
  if (entries.length === 0) {
    process.stdout.write('No audits yet: aftercare audit import FILE.csv --team NAME\n');
    return EXIT_OK;
  }
  const rows = entries.map((e) => [
    e.team,
    e.interaction,
    String(e.importance),
    String(e.performance),
    e.note ?? '',
  ]);
  process.stdout.write(textTable(['TEAM', 'INTERACTION', 'IMPORTANCE', 'PERFORMANCE', 'NOTE'], rows));
  return EXIT_OK;
}

export async function auditCompareCommand(
  teamA: string,
  teamB: string,
  options: { json?: boolean },
): Promise<number> {
  const result = await withStoreApp((app) => app.commands.gaps.compareAudits(teamA, teamB));
  if (!result.ok) {
    if (result.why === 'same_team') throw usageError('compare two different teams', { field: 'teams' });
    throw new AftercareError(
      'AFTERCARE_E_NOT_FOUND',
      `team "${result.team}" has no audit (see aftercare audit list)`,
      {
        team: result.team,
      },
    );
  }
  const c = result.comparison;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(c)}\n`);
    return EXIT_OK;
  }
  const [a, b] = c.teams;
  const out = [
    `${a} and ${b} both scored ${c.compared} interactions. Krippendorff's alpha (ordinal):`,
    `  importance   ${num(c.alpha.importance, 3)}  ${c.verdict.importance}`,
    `  performance  ${num(c.alpha.performance, 3)}  ${c.verdict.performance}`,
    '',
    'Where they disagree most:',
    textTable(
      ['INTERACTION', `IMPORTANCE ${a}/${b}`, `PERFORMANCE ${a}/${b}`, 'DISTANCE'],
      c.disagreements.map((d) => [
        d.interaction,
        `${d.a.importance}/${d.b.importance}`,
        `${d.a.performance}/${d.b.performance}`,
        String(d.distance),
      ]),
    ).trimEnd(),
  ];
  if (c.onlyA.length > 0) out.push(`Only ${a} scored: ${c.onlyA.join(', ')}`);
  if (c.onlyB.length > 0) out.push(`Only ${b} scored: ${c.onlyB.join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT_OK;
}

/** Plain text table: columns padded to their widest cell, the last (free text) left ragged. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** A 1-5 score or alpha for a table cell: `-` when unknown. */
export function num(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '-' : value.toFixed(digits);
}
