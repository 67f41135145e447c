// Claim order among touch points due at the same moment: the purpose tier, stored as a number
// so both adapters can sort and index on it (transactional first, offers last).
import { PURPOSES, type Purpose } from '../core/domain.js';

export const PURPOSE_PRIORITY: Readonly<Record<Purpose, number>> = Object.freeze(
  Object.fromEntries(PURPOSES.map((purpose, index) => [purpose, index])) as Record<Purpose, number>,
);

export function purposePriority(purpose: Purpose): number {
  return PURPOSE_PRIORITY[purpose];
}
