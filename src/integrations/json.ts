// JSON from outside, parsed without prototype effects: `__proto__`, `constructor` and
// `prototype` keys are dropped at every depth, so no later Object.assign or property read can
// reach an object's prototype through them ({"__proto__": {"id": "x"}} once changed a CSV row's id).
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse without the keys that touch prototypes; throws SyntaxError like JSON.parse. */
export function parseJsonData(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => (FORBIDDEN_KEYS.has(key) ? undefined : value));
}

/** True for a key that must never be copied into an object built from outside data. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}
