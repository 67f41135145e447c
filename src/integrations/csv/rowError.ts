// How a CSV problem is reported: which file, which physical line (1-based, header = line 1),
// which column, and what is wrong, in words a person fixing the file can act on.

export interface CsvRowError {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** `FILE:LINE: field: message`, the shape editors and terminals turn into links. */
export function formatRowError(error: CsvRowError): string {
  return `${error.file}:${error.line}: ${error.field}: ${error.message}`;
}
