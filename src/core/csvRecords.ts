// The opening every small all-or-nothing CSV import shares (the team audit, the shop's discount
// codes): a size limit, then csv-parse with each record's line, and a file it cannot read named
// by the line it stopped on. What the columns mean is the caller's. Pure: the caller reads the file.
import { parse } from 'csv-parse/sync';

/** One record and the physical line it ends on (the header is line 1). */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/** `(file)` is the field of a problem that is no one cell's. */
export interface CsvFileIssue {
  file: string;
  line: number;
  field: '(file)';
  message: string;
}

export type CsvRecordsResult = { ok: true; records: CsvRecord[] } | { ok: false; issues: [CsvFileIssue] };

/** `text` as records (BOM dropped, blank lines skipped, cells trimmed, rows of any length). */
export function readCsvRecords(text: string, file: string, maxBytes: number): CsvRecordsResult {
  const fail = (line: number, message: string): CsvRecordsResult => ({
    ok: false,
    issues: [{ file, line, field: '(file)', message }],
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return fail(1, `the file is ${bytes} bytes; at most ${maxBytes} are read`);
  try {
    // With `info`, each record comes with the line it ends on; the types do not follow the option.
    const records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as CsvRecord[];
    return { ok: true, records };
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error ? Number(error.lines) : 1;
    return fail(line || 1, `not readable as CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
}
