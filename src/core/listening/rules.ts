// The escalation rules the hearing reducer is given: who owns a concern at each level of the
// ladder, and when its current level's time is up. The configured ladder implements this; the
// default keeps every concern with a rep and sets no timer.
import type { Millis } from '../domain.js';
import type { Concern } from './types.js';

export interface EscalationRules {
  /** Who owns a concern at ladder `level` (0 = the first rung): a role or a person. */
  ownerAt(level: number): string;
  /** When `concern` climbs from its current level if still unresolved; null: it never does. */
  deadline(concern: Concern): Millis | null;
}

export const DEFAULT_ESCALATION_RULES: EscalationRules = Object.freeze({
  ownerAt: () => 'rep',
  deadline: () => null,
});
