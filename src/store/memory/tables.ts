// Everything one memory store holds: the records intake and the queue work on (records.ts) and
// the small tables beside them. Keys are unique like the SQL schema's primary keys: a second
// insert under a taken key fails as AFTERCARE_E_STORE, as a constraint violation does there.
import type { Task } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import { AftercareError } from '../../errors.js';
import type { ApiKey } from '../ports/access.js';
import type { PlaybookSnapshot } from '../ports/playbookVersions.js';
import { Records } from './records.js';

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly token: string;
  /** Null while the request is being processed. */
  readonly status: number | null;
  readonly body: string | null;
  readonly createdAt: number;
  /** The lock's end while processed; afterwards the end of the replay window. */
  readonly expiresAt: number;
}

export interface InboxRow {
  readonly seq: number;
  readonly source: string;
  /** The event as JSON, so a taken entry is a copy, exactly as a database gives it back. */
  readonly event: string;
  readonly receivedAt: number;
  readonly leaseUntil: number;
}

export interface Suppression {
  readonly reason: string;
  readonly createdAt: number;
}

export class MemoryTables {
  readonly records = new Records();
  readonly tasks = new Map<string, Task>();
  /** Touch point id -> the id of its one task. */
  readonly taskOfTouchPoint = new Map<string, string>();
  readonly concerns = new Map<string, Concern>();
  /** By SHA-256 of the lower-cased address (store/suppression.ts). */
  readonly suppressions = new Map<string, Suppression>();
  readonly apiKeys = new Map<string, ApiKey>();
  /** API key id -> Idempotency-Key -> record. */
  readonly idempotency = new Map<string, Map<string, IdempotencyRecord>>();
  /** Name -> version -> snapshot. */
  readonly playbookVersions = new Map<string, Map<number, PlaybookSnapshot>>();
  /** By sequence number; a Map iterates in insertion order, which is sequence order. */
  readonly inbox = new Map<number, InboxRow>();
  /** Sequence numbers are never reused, so a late acknowledgement cannot remove a newer entry. */
  lastInboxSeq = 0;

  clear(): void {
    this.records.clear();
    this.tasks.clear();
    this.taskOfTouchPoint.clear();
    this.concerns.clear();
    this.suppressions.clear();
    this.apiKeys.clear();
    this.idempotency.clear();
    this.playbookVersions.clear();
    this.inbox.clear();
    this.lastInboxSeq = 0;
  }
}

/** The failure a database reports for a taken primary key. */
export function duplicateKey(table: string, key: string): AftercareError {
  return new AftercareError('AFTERCARE_E_STORE', `memory store: ${table} already holds ${key}`, {
    table,
    key,
  });
}
