// The zod building blocks every config section reads its environment variables with.
import { z } from 'zod';
import type { Parsed } from './values.js';

/** Unset and empty mean the same: the default. Surrounding blanks are dropped. */
export const text = z
  .string()
  .optional()
  .transform((raw) => {
    const trimmed = raw?.trim();
    return trimmed ? trimmed : undefined;
  });

/** A variable parsed by `parse`; undefined when unset. Problems become issues on the variable. */
export function variable<T>(parse: (raw: string) => Parsed<T>) {
  return text.transform((raw, ctx): T | undefined => {
    if (raw === undefined) return undefined;
    const result = parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });
}
