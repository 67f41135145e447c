// Reads a team audit CSV (columns interaction, importance, performance, note) all or nothing:
// a file with any problem imports nothing, and every problem is named by file, line and column,
// so the person fixing it sees them all at once and never has to guess what was kept. Pure: the
// caller reads the file.
import { readCsvRecords } from '../csvRecords.js';
import { closest } from '../playbook/parse.js';
import { AUDIT_SCALE } from './audit.js';

export interface AuditCsvRow {
  /** Physical line in the file (the header is line 1). */
  line: number;
  interaction: string;
  importance: number;
  performance: number;
  note: string | null;
}

export interface AuditCsvIssue {
  file: string;
  line: number;
  /** The column (`importance`), or `(row)` / `(file)` for what is not one column's. */
  field: string;
  message: string;
}

export type AuditCsvResult = { ok: true; rows: AuditCsvRow[] } | { ok: false; issues: AuditCsvIssue[] };

export const AUDIT_COLUMNS = ['interaction', 'importance', 'performance', 'note'] as const;
const REQUIRED = ['interaction', 'importance', 'performance'] as const;
/** An audit lists a catalogue's interactions (at most 200): 1 MB and 1,000 rows are far past it. */
export const MAX_AUDIT_BYTES = 1024 * 1024;
export const MAX_AUDIT_ROWS = 1000;
export const MAX_NOTE_CHARS = 2000;

/** `FILE:LINE: field: message`. */
export function formatAuditIssue(issue: AuditCsvIssue): string {
  return `${issue.file}:${issue.line}: ${issue.field}: ${issue.message}`;
}

export function parseAuditCsv(text: string, file: string, interactions: readonly string[]): AuditCsvResult {
  const fail = (line: number, field: string, message: string): AuditCsvResult => ({
    ok: false,
    issues: [{ file, line, field, message }],
  });
  const read = readCsvRecords(text, file, MAX_AUDIT_BYTES);
  if (!read.ok) return read;
  const [header, ...rows] = read.records;
  if (header === undefined)
    return fail(1, '(file)', `the file is empty; the header is ${AUDIT_COLUMNS.join(',')}`);
  if (rows.length > MAX_AUDIT_ROWS)
    return fail(header.info.lines, '(file)', `${rows.length} rows; at most ${MAX_AUDIT_ROWS}`);

  const issues: AuditCsvIssue[] = [];
  const headerLine = header.info.lines;
  const names = header.record.map((name) => name.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!(AUDIT_COLUMNS as readonly string[]).includes(name)) {
      const guess = closest(name, AUDIT_COLUMNS);
      const hint = guess ? ` (did you mean "${guess}"?)` : ` (columns: ${AUDIT_COLUMNS.join(', ')})`;
      issues.push({
        file,
        line: headerLine,
        field: name || `(column ${i + 1})`,
        message: `unknown column${hint}`,
      });
    } else if (index.has(name)) {
      issues.push({ file, line: headerLine, field: name, message: 'the column appears twice in the header' });
    } else index.set(name, i);
  });
  for (const column of REQUIRED) {
    if (!index.has(column))
      issues.push({ file, line: headerLine, field: column, message: 'required column is missing' });
  }
  if (issues.length > 0) return { ok: false, issues };

  const known = new Set(interactions);
  const firstLine = new Map<string, number>();
  const out: AuditCsvRow[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const cell = (column: string): string => record[index.get(column) ?? -1]?.trim() ?? '';
    const problem = (field: string, message: string): void =>
      void issues.push({ file, line, field, message });
    if (record.length > names.length)
      problem('(row)', `${record.length} fields; the header has ${names.length}`);
    const interaction = cell('interaction');
    if (interaction === '') problem('interaction', 'is empty');
    else if (!known.has(interaction)) {
      const guess = closest(interaction, interactions);
      const hint = guess ? `did you mean "${guess}"?` : `known: ${interactions.join(', ')}`;
      problem('interaction', `"${interaction}" is not in the interaction catalogue (${hint})`);
    } else if (firstLine.has(interaction)) {
      problem('interaction', `"${interaction}" is listed twice (also line ${firstLine.get(interaction)})`);
    } else firstLine.set(interaction, line);
    const score = (column: 'importance' | 'performance'): number => {
      const raw = cell(column);
      const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(value >= AUDIT_SCALE.min && value <= AUDIT_SCALE.max)) {
        problem(column, `${raw === '' ? 'is empty' : `"${raw}"`}; must be a whole number from 1 to 5`);
      }
      return value;
    };
    const importance = score('importance');
    const performance = score('performance');
    const note = index.has('note') ? cell('note') : '';
    if (note.length > MAX_NOTE_CHARS)
      problem('note', `is ${note.length} characters; at most ${MAX_NOTE_CHARS}`);
    out.push({ line, interaction, importance, performance, note: note === '' ? null : note });
  }
  if (issues.length > 0) return { ok: false, issues };
  if (out.length === 0)
    return fail(headerLine, '(file)', 'no rows: an audit scores at least one interaction');
  return { ok: true, rows: out };
}
