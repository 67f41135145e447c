// The consent capability: the suppression list, checked at send time. Addresses are kept only
// as hashes of their lower-cased form. (Preferences and topics join it with listening.)
import type { Millis } from '../../core/domain.js';

export interface ConsentStore {
  /** Which of these e-mail addresses (any case) are on the suppression list. */
  suppressed(emails: string[]): Promise<Set<string>>;
  suppress(email: string, reason: string, at: Millis): Promise<void>;
}
