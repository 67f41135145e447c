// The YAML spelling of a condition, turned into a Condition: a map is "all of", `any`/`all`
// take lists, `not` takes one condition, a field with a scalar means `eq`, a field with a map
// names operators (`order.total: { gte: 500 }`). Problems come back with their path, never thrown.
import { CONDITION_OPS, type Condition, type ConditionOp } from './types.js';
import { CONDITION_FIELD_PREFIXES, CONDITION_FIELDS, isConditionField } from './conditions.js';

export type PathSegment = string | number;
export interface SyntaxIssue {
  path: PathSegment[];
  message: string;
}

const OPS: ReadonlySet<string> = new Set(CONDITION_OPS);
const KNOWN_FIELD_HINT = [...CONDITION_FIELDS, ...CONDITION_FIELD_PREFIXES.map((p) => `${p}<name>`)].join(
  ', ',
);

export function parseCondition(
  raw: unknown,
  path: PathSegment[] = [],
): { condition: Condition | null; issues: SyntaxIssue[] } {
  const issues: SyntaxIssue[] = [];
  const condition = parseMap(raw, path, issues);
  return { condition: issues.length === 0 ? condition : null, issues };
}

function isPlainMap(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function isScalar(raw: unknown): raw is string | number | boolean | null {
  return raw === null || ['string', 'number', 'boolean'].includes(typeof raw);
}

function parseMap(raw: unknown, path: PathSegment[], issues: SyntaxIssue[]): Condition {
  if (!isPlainMap(raw)) {
    issues.push({ path, message: 'must be a map of conditions, like { segment: b2b }' });
    return { all: [] };
  }
  const entries = Object.entries(raw);
  if (entries.length === 0) issues.push({ path, message: 'must name at least one condition' });
  const parts: Condition[] = [];
  for (const [key, value] of entries) {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      if (!Array.isArray(value) || value.length === 0) {
        issues.push({ path: at, message: `must be a non-empty list of conditions` });
        continue;
      }
      const list = value.map((item, i) => parseMap(item, [...at, i], issues));
      parts.push(key === 'all' ? { all: list } : { any: list });
    } else if (key === 'not') {
      parts.push({ not: parseMap(value, at, issues) });
    } else {
      parts.push(...parseField(key, value, at, issues));
    }
  }
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : { all: parts };
}

function parseField(field: string, raw: unknown, path: PathSegment[], issues: SyntaxIssue[]): Condition[] {
  if (!isConditionField(field)) {
    issues.push({ path, message: `unknown condition field "${field}"; known fields: ${KNOWN_FIELD_HINT}` });
    return [];
  }
  if (isScalar(raw)) return [{ field, op: 'eq', value: raw }];
  if (Array.isArray(raw)) {
    issues.push({ path, message: 'a list needs an operator: write { in: [...] }' });
    return [];
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) issues.push({ path, message: 'must name at least one operator' });
  const out: Condition[] = [];
  for (const [op, value] of entries) {
    const at = [...path, op];
    if (!OPS.has(op)) {
      issues.push({ path: at, message: `unknown operator "${op}"; use one of ${CONDITION_OPS.join(', ')}` });
      continue;
    }
    const problem = operandProblem(op as ConditionOp, value);
    if (problem !== null) issues.push({ path: at, message: problem });
    else out.push({ field, op: op as ConditionOp, value });
  }
  return out;
}

function operandProblem(op: ConditionOp, value: unknown): string | null {
  switch (op) {
    case 'exists':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'in':
    case 'not_in':
      return Array.isArray(value) && value.every(isScalar) ? null : 'must be a list of values';
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return typeof value === 'number' || typeof value === 'string' ? null : 'must be a number or a string';
    case 'eq':
    case 'ne':
    case 'contains':
      return isScalar(value) ? null : 'must be a single value';
  }
}
