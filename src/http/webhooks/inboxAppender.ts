// Group commit of webhook events into the inbox: the events of requests that arrive together
// go into one append (one store transaction), and each request is answered only once the
// append holding its own events has committed. A failed append fails every request in it (the
// providers resend). Intake runs later, in large batches (engine/inboxDrain.ts).
import type { DomainEvent, Millis } from '../../core/domain.js';
import type { InboxStore } from '../../store/ports/inbox.js';

export interface InboxDraft {
  event: DomainEvent;
  source: string;
}

interface Waiting {
  drafts: InboxDraft[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class InboxAppender {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly inbox: Pick<InboxStore, 'appendInbox'>,
    private readonly now: () => Millis,
    /** Told how many entries each append committed (the drain counts them). */
    private readonly onAppended: (count: number) => void = () => {},
    /** Entries per append at most (a request's events are never split). */
    private readonly maxEntries = 1000,
  ) {}

  /** Resolves once `drafts` are durably in the inbox. */
  append(drafts: InboxDraft[]): Promise<void> {
    if (drafts.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ drafts, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop lets requests that arrived meanwhile join this append; while
        // it commits, the next ones gather for the one after.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const group = this.take();
        const entries = group.flatMap((waiting) => waiting.drafts);
        try {
          await this.inbox.appendInbox(entries, this.now());
        } catch (error) {
          for (const waiting of group) waiting.reject(error);
          continue;
        }
        this.onAppended(entries.length);
        for (const waiting of group) waiting.resolve();
      }
    } finally {
      this.flushing = false;
    }
  }

  private take(): Waiting[] {
    let count = 0;
    let index = 0;
    while (index < this.queue.length) {
      const size = this.queue[index]!.drafts.length;
      if (index > 0 && count + size > this.maxEntries) break;
      count += size;
      index += 1;
    }
    return this.queue.splice(0, index);
  }
}
