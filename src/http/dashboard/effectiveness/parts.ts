// What the three effectiveness pages share: their own navigation (the report, audits compared,
// action items), a form field's error shown next to it (and tied to it for screen readers), and
// reading one text value of a query string.
import { AftercareError } from '../../../errors.js';
import { esc } from '../layout.js';
import { DASHBOARD_PREFIX } from '../routes.js';

export const EFFECTIVENESS = `${DASHBOARD_PREFIX}/effectiveness`;

const PAGES = [
  { path: EFFECTIVENESS, label: 'Report' },
  { path: `${EFFECTIVENESS}/audits`, label: 'Audits compared' },
  { path: `${EFFECTIVENESS}/actions`, label: 'Action items' },
] as const;

export type EffectivenessPage = (typeof PAGES)[number]['path'];

export function subnav(current: EffectivenessPage): string {
  return `<nav class="subnav" aria-label="Effectiveness"><ul>${PAGES.map(
    (p) =>
      `<li><a href="${p.path}"${p.path === current ? ' aria-current="page"' : ''}>${esc(p.label)}</a></li>`,
  ).join('')}</ul></nav>`;
}

/** Errors of a form, by field name. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * The attributes of an input with an error (invalid, described by the message) and the message
 * itself, placed right after the input; both empty without an error.
 */
export function fieldError(id: string, error: string | undefined): { attrs: string; message: string } {
  if (error === undefined) return { attrs: '', message: '' };
  return {
    attrs: ` aria-invalid="true" aria-describedby="${esc(id)}-error"`,
    message: `<p class="field-error" id="${esc(id)}-error">${esc(error)}</p>`,
  };
}

/** One text value of a parsed query string, trimmed; absent or empty: undefined. */
export function queryText(query: unknown, name: string, max = 200): string | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const raw = (query as Record<string, unknown>)[name];
  const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, max);
  return trimmed === '' ? undefined : trimmed;
}

/**
 * A refusal of the commands that names one of `fields` (details.field): its message without the
 * field's name in front, to show next to that field; null for anything else.
 */
export function refusalOf(
  error: unknown,
  fields: readonly string[],
): { field: string; message: string; status: number } | null {
  if (!(error instanceof AftercareError)) return null;
  const field = error.details.field;
  if (typeof field !== 'string' || !fields.includes(field)) return null;
  return { field, message: error.message.replace(new RegExp(`^${field}:\\s*`), ''), status: error.status };
}
