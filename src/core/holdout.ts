// Holdout assignment: a stable, salted coin flip per customer, so the control group can be
// recomputed anywhere (any process, any store) and measured against the treated customers.

/**
 * Whether `customerId` falls in the holdout group of size `share` (0..1). The salted id is
 * hashed (FNV-1a, then a murmur3 finalizer so similar ids spread evenly) to a point in [0, 1);
 * the customer is held out when the point is below `share`. Raising the share only adds
 * customers to the group; changing the salt draws a new group.
 */
export function isHoldout(customerId: string, share: number, salt: string): boolean {
  if (!(share > 0)) return false; // also NaN
  if (share >= 1) return true;
  return unitHash(`${salt}:${customerId}`) < share;
}

/** A 32-bit hash of the string's UTF-16 code units, mapped to [0, 1). */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
