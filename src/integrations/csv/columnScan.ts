// A quick first pass over a CSV file that reads a single column, about ten times faster than a
// full parse. Used to learn which orders are scattered before the real pass starts importing.
import { createReadStream } from 'node:fs';
import { fileSize, readHeader, type CsvHeader } from './records.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

const enum State {
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either an escaped quote or the closing one. */
  QuoteInQuoted,
}

/**
 * Calls `onValue` with the raw (untrimmed) value of `column` in every data record. Quoting follows
 * RFC 4180 as csv-parse reads it with `relax_quotes`: a quote opens a quoted field only at its
 * start, `""` inside is a quote, blank lines are skipped. Validates the header like the full pass.
 */
export async function scanColumn(
  file: string,
  required: readonly string[],
  column: string,
  onValue: (value: string) => void,
): Promise<CsvHeader> {
  await fileSize(file);
  let header: CsvHeader | null = null;
  let headerFields: string[] = [];
  let target = -1;
  let state = State.Unquoted;
  let field = 0;
  let value = '';
  let atFieldStart = true;
  let recordHasChars = false;
  let first = true;

  const endField = (): void => {
    if (header === null) headerFields.push(value);
    else if (field === target) onValue(value);
    value = '';
    field++;
    atFieldStart = true;
  };
  const endRecord = (): void => {
    if (recordHasChars) {
      endField();
      if (header === null) {
        header = readHeader(file, 1, headerFields, required);
        target = header.index.get(column) ?? -1;
        headerFields = [];
      }
    }
    field = 0;
    value = '';
    atFieldStart = true;
    recordHasChars = false;
  };

  for await (const chunk of createReadStream(file, { encoding: 'utf8' }) as AsyncIterable<string>) {
    let i = 0;
    if (first) {
      first = false;
      if (chunk.charCodeAt(0) === BOM) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const collecting = header === null || field === target;
      if (state === State.Quoted) {
        if (c === QUOTE) state = State.QuoteInQuoted;
        else if (collecting) value += chunk[i];
        continue;
      }
      if (state === State.QuoteInQuoted) {
        if (c === QUOTE) {
          if (collecting) value += '"';
          state = State.Quoted;
          continue;
        }
        state = State.Unquoted;
      }
      if (c === COMMA) {
        recordHasChars = true;
        endField();
      } else if (c === LF) endRecord();
      else if (c !== CR) {
        recordHasChars = true;
        if (c === QUOTE && atFieldStart) state = State.Quoted;
        else if (collecting) value += chunk[i];
        atFieldStart = false;
      }
    }
  }
  endRecord();
  if (header === null) {
    // The full pass reports the empty file with its own message; nothing to scan here.
    return { names: [], index: new Map() };
  }
  return header;
}
