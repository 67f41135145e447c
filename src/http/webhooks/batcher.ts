// Gathers the events of concurrent webhook requests into one intake call: a store transaction
// per request costs ~1 ms on SQLite, one for a few dozen requests little more. Each request
// still gets exactly its own results, in order; a failed batch fails every request in it (the
// providers resend, and intake is idempotent).
import type { DomainEvent } from '../../core/domain.js';
import type { Intake } from '../../engine/intake.js';
import type { IntakeResult } from '../../store/ports/intake.js';

interface Waiting {
  events: DomainEvent[];
  resolve: (results: IntakeResult[]) => void;
  reject: (error: unknown) => void;
}

export class IntakeBatcher {
  private queue: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly intake: Pick<Intake, 'ingest'>,
    /** Events per transaction at most (a request's events are never split). */
    private readonly maxEvents = 500,
  ) {}

  ingest(events: DomainEvent[]): Promise<IntakeResult[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise<IntakeResult[]>((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop lets requests that arrived meanwhile join this batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.take();
        try {
          const results = await this.intake.ingest(batch.flatMap((waiting) => waiting.events));
          let offset = 0;
          for (const waiting of batch) {
            waiting.resolve(results.slice(offset, offset + waiting.events.length));
            offset += waiting.events.length;
          }
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private take(): Waiting[] {
    let count = 0;
    let index = 0;
    while (index < this.queue.length) {
      const size = this.queue[index]!.events.length;
      if (index > 0 && count + size > this.maxEvents) break;
      count += size;
      index += 1;
    }
    return this.queue.splice(0, index);
  }
}
