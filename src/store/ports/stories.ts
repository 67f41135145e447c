// Which customer stories each customer has been told, so none is told twice. A telling is
// written by the dispatch queue in the same write as the send's outcome (`AttemptOutcome` of
// kind `sent` with `story`), fenced like it: a retried or repeated send (same Message-ID) adds
// nothing, and a send whose outcome is lost tells no story the store does not know of. Every
// store answers alike (test/store-contract/storiesContract.ts).
import type { Millis } from '../../core/domain.js';

export interface StoryTelling {
  customerId: string;
  storyId: string;
  /** The touch point whose message told it. */
  touchPointId: string;
  toldAt: Millis;
}

export interface StoryStore {
  /** The ids of the stories each of these customers has been told (customers told none are absent). */
  toldTo(customerIds: readonly string[]): Promise<Map<string, Set<string>>>;
  /** One customer's tellings, oldest first (ties by story id). */
  tellings(customerId: string): Promise<StoryTelling[]>;
}
