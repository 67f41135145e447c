// Reads a file of discount codes exported from the shop, all or nothing: a `code` column (any
// case; Shopify's export calls it "Code"), other columns ignored. A file with any problem
// imports nothing, and every problem is named by file, line and field. Pure: the caller reads
// the file.
import { readCsvRecords } from '../csvRecords.js';
import { normalizeCode } from './offer.js';

export interface CodesCsvIssue {
  file: string;
  line: number;
  /** `code`, or `(file)` / `(header)` for what is not one cell's. */
  field: string;
  message: string;
}

export type CodesCsvResult = { ok: true; codes: string[] } | { ok: false; issues: CodesCsvIssue[] };

export const MAX_CODES_BYTES = 16 * 1024 * 1024;
export const MAX_CODE_CHARS = 64;
const CODE = /^[A-Z0-9][A-Z0-9_-]*$/;

/** `FILE:LINE: field: message`. */
export function formatCodesIssue(issue: CodesCsvIssue): string {
  return `${issue.file}:${issue.line}: ${issue.field}: ${issue.message}`;
}

export function parseCodesCsv(text: string, file: string): CodesCsvResult {
  const fail = (line: number, field: string, message: string): CodesCsvResult => ({
    ok: false,
    issues: [{ file, line, field, message }],
  });
  const read = readCsvRecords(text, file, MAX_CODES_BYTES);
  if (!read.ok) return read;
  const [header, ...rows] = read.records;
  if (header === undefined)
    return fail(1, '(file)', 'the file is empty; it needs a header with a code column');
  const column = header.record.findIndex((name) => name.trim().toLowerCase() === 'code');
  if (column < 0) {
    return fail(
      header.info.lines,
      '(header)',
      `no "code" column (found: ${header.record.join(', ') || 'nothing'})`,
    );
  }
  const issues: CodesCsvIssue[] = [];
  const first = new Map<string, number>();
  const codes: string[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    const raw = record[column] ?? '';
    const code = normalizeCode(raw);
    if (code === '') issues.push({ file, line, field: 'code', message: 'is empty' });
    else if (code.length > MAX_CODE_CHARS)
      issues.push({
        file,
        line,
        field: 'code',
        message: `is ${code.length} characters; at most ${MAX_CODE_CHARS}`,
      });
    else if (!CODE.test(code))
      issues.push({ file, line, field: 'code', message: `"${raw}" may hold only letters, digits, - and _` });
    else if (first.has(code))
      issues.push({
        file,
        line,
        field: 'code',
        message: `"${code}" is listed twice (also line ${first.get(code)})`,
      });
    else {
      first.set(code, line);
      codes.push(code);
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  if (codes.length === 0) return fail(header.info.lines, '(file)', 'the file lists no codes');
  return { ok: true, codes };
}
