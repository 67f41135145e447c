// Concerns: list and read them, acknowledge one (the person takes it on) or resolve it. A change
// is an event on the customer's timeline (concern.acknowledged / concern.resolved) taken in through
// intake and heard at once, so the answer already shows the concern as it now is.
import type { DomainEvent } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import { AftercareError } from '../../errors.js';
import type { ConcernQuery, ListeningStore } from '../../store/ports/listening.js';
import type { Clock } from '../clock.js';
import type { Intake } from '../intake.js';
import type { Listener } from '../listening/listener.js';

/** Concerns a list holds when the caller names no limit. */
export const DEFAULT_CONCERN_LIMIT = 100;

export type ConcernChange =
  | { ok: true; concern: Concern }
  | { ok: false; why: 'not_found' }
  /** Resolved already: it cannot be acknowledged or resolved again. */
  | { ok: false; why: 'resolved'; current: Concern };

export interface ConcernResolution {
  resolution: string;
  by: string;
}

export interface ConcernCommands {
  /** Newest opened first; at most `limit` (default DEFAULT_CONCERN_LIMIT). */
  list(query: ConcernQuery): Promise<Concern[]>;
  get(id: string): Promise<Concern | null>;
  /** `by` takes the concern on: it becomes its owner. */
  acknowledge(id: string, by: string): Promise<ConcernChange>;
  /** Resolved with what was done; the concern's open tasks are closed. */
  resolve(id: string, resolution: ConcernResolution): Promise<ConcernChange>;
}

export interface ConcernCommandDeps {
  listening: Pick<ListeningStore, 'getConcern' | 'listConcerns'>;
  intake: Pick<Intake, 'ingest'>;
  listener: Pick<Listener, 'hearThrough'>;
  clock: Clock;
}

export function requiredText(value: string, field: string, max = 2000): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must not be empty`, { field });
  }
  if (trimmed.length > max) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must be at most ${max} characters`, {
      field,
    });
  }
  return trimmed;
}

export function concernCommands(deps: ConcernCommandDeps): ConcernCommands {
  const { listening, intake, listener, clock } = deps;

  /** Takes the event in, hears it, and reads the concern back. */
  async function change(
    id: string,
    type: 'concern.acknowledged' | 'concern.resolved',
    eventId: string,
    data: Record<string, unknown>,
  ): Promise<ConcernChange> {
    const concern = await listening.getConcern(id);
    if (concern === null) return { ok: false, why: 'not_found' };
    if (concern.status === 'resolved') return { ok: false, why: 'resolved', current: concern };
    const event: DomainEvent = {
      id: eventId,
      type,
      at: clock.now(),
      customerId: concern.customerId,
      orderId: concern.orderId,
      data: { concernId: id, ...data },
    };
    const [result] = await intake.ingest([event]);
    if (result?.rejected) {
      throw new AftercareError(
        'AFTERCARE_E_CONFLICT',
        `the concern's customer cannot take events: ${result.rejected}`,
        {
          reason: result.rejected,
        },
      );
    }
    await listener.hearThrough(eventId);
    const now = await listening.getConcern(id);
    return now === null ? { ok: false, why: 'not_found' } : { ok: true, concern: now };
  }

  return {
    list: (query) => listening.listConcerns({ ...query, limit: query.limit ?? DEFAULT_CONCERN_LIMIT }),
    get: (id) => listening.getConcern(id),
    async acknowledge(id, by) {
      const who = requiredText(by, 'by', 200);
      // One event per person: acknowledging again is a no-op, another person takes it over.
      return await change(id, 'concern.acknowledged', `${id}:acknowledged:${who}`, { by: who });
    },
    async resolve(id, { resolution, by }) {
      const what = requiredText(resolution, 'resolution');
      const who = requiredText(by, 'by', 200);
      return await change(id, 'concern.resolved', `${id}:resolved`, { resolution: what, by: who });
    },
  };
}
