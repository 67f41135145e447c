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
  readonly records: Records;

  constructor(installKey: string) {
    this.records = new Records(installKey);
  }

  readonly tasks = new Map<string, Task>();
  /** Touch point id -> the id of its one task. */
  readonly taskOfTouchPoint = new Map<string, string>();
  readonly concerns = new Map<string, Concern>();
  /** Task id -> when it was last printed (letters); the SQL stores' tasks.printed_at. */
  readonly taskPrintedAt = new Map<string, number>();
  /** Customer id -> ids of their tasks and concerns (the SQL stores' customer indexes). */
  private readonly tasksByCustomer = new Map<string, Set<string>>();
  private readonly concernsByCustomer = new Map<string, Set<string>>();
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

  /** A new task (its touch point had none); a task's customer never changes. */
  insertTask(task: Task): void {
    this.tasks.set(task.id, task);
    this.taskOfTouchPoint.set(task.touchPointId, task.id);
    indexed(this.tasksByCustomer, task.customerId).add(task.id);
  }

  /** A concern, new or changed; a concern's customer never changes. */
  putConcern(concern: Concern): void {
    this.concerns.set(concern.id, concern);
    indexed(this.concernsByCustomer, concern.customerId).add(concern.id);
  }

  tasksOfCustomer(customerId: string): Task[] {
    return [...(this.tasksByCustomer.get(customerId) ?? [])].map((id) => this.tasks.get(id)!);
  }

  concernsOfCustomer(customerId: string): Concern[] {
    return [...(this.concernsByCustomer.get(customerId) ?? [])].map((id) => this.concerns.get(id)!);
  }

  clear(): void {
    this.records.clear();
    this.tasks.clear();
    this.taskOfTouchPoint.clear();
    this.taskPrintedAt.clear();
    this.concerns.clear();
    this.tasksByCustomer.clear();
    this.concernsByCustomer.clear();
    this.suppressions.clear();
    this.apiKeys.clear();
    this.idempotency.clear();
    this.playbookVersions.clear();
    this.inbox.clear();
    this.lastInboxSeq = 0;
  }
}

function indexed(index: Map<string, Set<string>>, key: string): Set<string> {
  let ids = index.get(key);
  if (ids === undefined) index.set(key, (ids = new Set()));
  return ids;
}

/** The failure a database reports for a taken primary key. */
export function duplicateKey(table: string, key: string): AftercareError {
  return new AftercareError('AFTERCARE_E_STORE', `memory store: ${table} already holds ${key}`, {
    table,
    key,
  });
}
