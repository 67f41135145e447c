// What the HTTP API asks of persistence beyond the engine's needs: API keys (hashes only),
// idempotent request records, single rows by id, conditional task changes, and a customer's
// export and erasure (GDPR). Every Store adapter implements it; test/store-contract/accessContract.ts.
import type { Customer, Enrollment, Millis, Order, StoredEvent, Task, TouchPoint } from '../core/domain.js';

export interface ApiKey {
  /** The public part of the key (`ak_<id>_<secret>`): shown in listings and logs, never secret. */
  id: string;
  name: string;
  /** SHA-256 (hex) of the whole key. The key itself is never stored. */
  hash: string;
  createdAt: Millis;
  revokedAt: Millis | null;
}

/** An answer kept for an Idempotency-Key: the status and the exact body sent. */
export interface StoredResponse {
  status: number;
  body: string;
}

export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  /** Fingerprint of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  /** Names this attempt, so a late finish of a taken-over attempt changes nothing. */
  token: string;
  now: Millis;
  /** A started request holds the key until then; after it (a crash), the key may be taken over. */
  lockUntil: Millis;
}

export type IdempotencyBegin =
  /** The key is new (or its record expired): process the request, then finish or abandon. */
  | { state: 'started' }
  /** The same request was answered before: send this again. */
  | { state: 'replay'; response: StoredResponse }
  /** The key was used for a different request. */
  | { state: 'mismatch' }
  /** The same request is being processed right now. */
  | { state: 'in_progress' };

export type TaskPatch = Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>;

/** A conditional task change: applied, or refused with the task as it is (null: no such task). */
export type TaskTransition = { ok: true; task: Task } | { ok: false; task: Task | null };

/** Everything held about one customer. */
export interface CustomerExport {
  customer: Customer;
  orders: Order[];
  enrollments: Enrollment[];
  events: StoredEvent[];
  touchPoints: TouchPoint[];
  tasks: Task[];
}

export interface ErasureReport {
  customerId: string;
  /** An e-mail address was put on the suppression list (as a hash). */
  suppressed: boolean;
  orders: number;
  events: number;
  tasks: number;
  /** Pending touch points (scheduled or claimed) that were cancelled. */
  cancelledTouchPoints: number;
  /** Every touch point of the customer: what was sent for them (outbox files) is named by these ids. */
  touchPointIds: string[];
}

export interface AccessStore {
  // --- API keys ---
  createApiKey(key: ApiKey): Promise<void>;
  findApiKey(id: string): Promise<ApiKey | null>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  /** Marks the key revoked (the first revocation time is kept); null when there is no such key. */
  revokeApiKey(id: string, at: Millis): Promise<ApiKey | null>;

  // --- idempotent requests (per API key) ---
  beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin>;
  /** Keep the answer of a started request until `expiresAt`; ignored unless `token` still holds it. */
  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void>;
  /** Forget a started request (it failed on our side), so the client may simply retry. */
  abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void>;
  /** Delete records that expired at or before `before`; returns how many. */
  purgeIdempotency(before: Millis): Promise<number>;

  // --- single rows and conditional changes ---
  getTouchPoint(id: string): Promise<TouchPoint | null>;
  getTask(id: string): Promise<Task | null>;
  /** Apply `patch` only if the task's status is one of `from` (so two people cannot claim one task). */
  transitionTask(id: string, from: readonly Task['status'][], patch: TaskPatch): Promise<TaskTransition>;

  // --- privacy ---
  exportCustomer(id: string): Promise<CustomerExport | null>;
  /**
   * Remove the customer's personal data everywhere in one transaction: contact details and
   * attributes, events' data, orders' items, shipments and attributes, tasks' scripts and notes;
   * pending touch points and tasks are cancelled, enrollments ended. Ids and times stay, so a
   * replayed provider event is still recognised as seen. The e-mail address goes on the
   * suppression list (hashed). Null when there is no such customer.
   */
  eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null>;
}
