// Building blocks of the API's input schemas: ids, ISO times, and free-form JSON objects bounded
// in depth and size (a deeply nested object would later overflow the stack of JSON.stringify).
import { z } from 'zod';
import { isValidZone } from '../../core/localTime.js';
import { checkMailbox, MAX_ADDRESS_LENGTH } from '../../core/mailbox.js';

export const MAX_ID_LENGTH = 200;
export const MAX_TEXT_LENGTH = 2000;
/** Nesting allowed inside `data` and `attributes` objects. */
export const MAX_JSON_DEPTH = 8;
/** Values (objects, arrays, scalars) allowed inside one `data` or `attributes` object. */
export const MAX_JSON_NODES = 2000;
const MAX_JSON_STRING = 10_000;

export const id = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`);

export const text = (max = MAX_TEXT_LENGTH) => z.string().max(max, `must be at most ${max} characters`);

export const isoTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 time with a UTC offset, like 2026-03-01T10:00:00Z' })
  .describe('ISO 8601 time with a UTC offset (Z or +01:00)');

export const zone = z
  .string()
  .max(64)
  .refine(isValidZone, 'must be an IANA time zone like Europe/Berlin')
  .describe('IANA time zone');

/** Exactly one bare e-mail address (core/mailbox.ts): no lists, names, groups or line breaks. */
export const mailbox = z
  .string()
  .max(MAX_ADDRESS_LENGTH, `must be at most ${MAX_ADDRESS_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const checked = checkMailbox(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.problem });
  })
  .meta({ format: 'email' })
  .describe('exactly one e-mail address, like buyer@example.com');

/** Walks without recursion, so no input can overflow the stack here either. */
function checkJson(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > MAX_JSON_NODES) {
      ctx.addIssue({ code: 'custom', message: `must hold at most ${MAX_JSON_NODES} values` });
      return;
    }
    if (typeof current === 'string' && current.length > MAX_JSON_STRING) {
      ctx.addIssue({ code: 'custom', message: `must not hold strings over ${MAX_JSON_STRING} characters` });
      return;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` });
      return;
    }
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
}

export const jsonObject = z
  .record(z.string().max(MAX_ID_LENGTH), z.unknown())
  .superRefine(checkJson)
  .describe(`any JSON object, at most ${MAX_JSON_DEPTH} levels deep and ${MAX_JSON_NODES} values`);

/** Optional and nullable: clients send both `null` and nothing for "unknown". */
export function maybe<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

export const listLimit = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000');
