// Facts in: orders and events from the API, CSV imports and the demo go through the engine's
// intake (event -> entities -> plan, deduplicated by event id), and the dispatcher is woken when
// something new may be due. What each event came to is a value, for the caller to present.
import type { DomainEvent } from '../../core/domain.js';
import type { IntakeResult } from '../../store/ports/intake.js';
import { INTAKE_REJECTIONS, type Intake, type IntakeRejection } from '../intake.js';

export interface IngestReport {
  /** One per event, in order. */
  results: IntakeResult[];
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** What one event came to. */
export type IngestOutcome =
  | { status: 'accepted' }
  /** Seen before (same id): nothing changed. */
  | { status: 'duplicate' }
  /** Not applied; `why` is null for a reason this version does not know. */
  | { status: 'rejected'; why: IntakeRejection | null; reason: string };

export interface IngestCommands {
  /** Applied in order, in batches (each one transaction). */
  events(events: DomainEvent[]): Promise<IngestReport>;
}

const KNOWN_REJECTIONS: ReadonlySet<string> = new Set(INTAKE_REJECTIONS);

function isIntakeRejection(value: string): value is IntakeRejection {
  return KNOWN_REJECTIONS.has(value);
}

export function ingestOutcome(result: IntakeResult): IngestOutcome {
  if (result.rejected !== null) {
    const why = isIntakeRejection(result.rejected) ? result.rejected : null;
    return { status: 'rejected', why, reason: result.rejected };
  }
  return { status: result.duplicate ? 'duplicate' : 'accepted' };
}

export function ingestCommands(deps: {
  intake: Pick<Intake, 'ingest'>;
  /** Wakes the dispatcher: new touch points may be due now. */
  wake: () => void;
}): IngestCommands {
  return {
    async events(events) {
      const results = await deps.intake.ingest(events);
      const duplicates = results.filter((r) => r.duplicate).length;
      const rejected = results.filter((r) => r.rejected !== null).length;
      const accepted = results.length - duplicates - rejected;
      if (accepted > 0) deps.wake();
      return { results, accepted, duplicates, rejected };
    },
  };
}
