// Request input through zod: the parsed value, or AFTERCARE_E_INPUT_INVALID naming the field of
// every problem (`customer.email`, `items[2].quantity`) and where it was (body, query, path).
// Messages never repeat the value that was sent.
import type { z } from 'zod';
import { AftercareError } from '../errors.js';

export type InputLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldIssue {
  field: string;
  message: string;
}

/** `['items', 2, 'quantity']` -> `items[2].quantity`; the whole input is `(body)`, `(query)`... */
export function fieldName(path: readonly PropertyKey[], where: InputLocation): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  if (out === '') return `(${where})`;
  // A made-up key can be as long as the body; the name only needs to be recognisable.
  return out.length > 200 ? `${out.slice(0, 200)}...` : out;
}

export function issuesOf(error: z.ZodError, where: InputLocation): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: fieldName([...issue.path, key], where), message: 'is not a known field' });
      }
      continue;
    }
    issues.push({ field: fieldName(issue.path, where), message: issue.message });
  }
  return issues;
}

export function invalidInput(issues: FieldIssue[], where: InputLocation): AftercareError {
  const first = issues[0] ?? { field: `(${where})`, message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', `${first.field}: ${first.message}${more}`, {
    in: where,
    field: first.field,
    issues: issues.slice(0, 50),
  });
}

export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: InputLocation,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(issuesOf(result.error, where), where);
}
