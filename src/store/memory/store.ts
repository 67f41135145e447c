// The in-memory store, for `aftercare simulate` and tests: every capability over plain maps and
// the due and lease indexes, with the same rules and orders as the SQL stores (it passes
// test/store-contract). One process, no I/O, no clock of its own: times come from the callers.
import { randomBytes } from 'node:crypto';
import type { Store } from '../store.js';
import { MemoryAccess } from './access.js';
import { MemoryConsent } from './consent.js';
import { MemoryCustomerSearch } from './customerSearch.js';
import { MemoryDeals } from './deals.js';
import { MemoryGaps } from './gaps.js';
import { MemoryInbox } from './inbox.js';
import { MemoryIntake } from './intake.js';
import { MemoryListening } from './listening.js';
import { MemoryMailingList } from './mailingList.js';
import { MemoryMeasuring } from './measuring.js';
import { MemoryOffers } from './offers.js';
import { MemoryPlaybookVersions } from './playbookVersions.js';
import { MemoryPrivacy } from './privacy.js';
import { MemoryQueue } from './queue.js';
import { MemoryReads } from './reads.js';
import { MemorySchedule } from './schedule.js';
import { MemoryStories } from './stories.js';
import { MemoryTables } from './tables.js';
import { MemoryTasks } from './tasks.js';
import { MemoryUsers } from './users.js';
import { MemoryRateWindows } from './rateWindows.js';

export interface MemoryStore extends Store {
  readonly dialect: 'memory';
}

/** A new, empty store; nothing is shared between two of them. */
export function openMemoryStore(options: { installKey?: string } = {}): Promise<MemoryStore> {
  // The install key (keyed customer ids, tombstones): random unless given (tests comparing stores).
  const tables = new MemoryTables(options.installKey ?? randomBytes(32).toString('base64url'));
  const { records } = tables;
  const gaps = new MemoryGaps(tables);
  const offers = new MemoryOffers();
  const users = new MemoryUsers();
  const mailingList = new MemoryMailingList();
  const deals = new MemoryDeals(tables);
  const rateWindows = new MemoryRateWindows();
  return Promise.resolve({
    dialect: 'memory',
    intake: new MemoryIntake(tables),
    queue: new MemoryQueue(records),
    schedule: new MemorySchedule(records),
    consent: new MemoryConsent(tables),
    tasks: new MemoryTasks(tables),
    reads: new MemoryReads(tables),
    access: new MemoryAccess(tables),
    privacy: new MemoryPrivacy(tables),
    playbooks: new MemoryPlaybookVersions(tables),
    inbox: new MemoryInbox(tables),
    listening: new MemoryListening(tables),
    measuring: new MemoryMeasuring(tables),
    gaps,
    offers,
    users,
    customerSearch: new MemoryCustomerSearch(records),
    mailingList,
    deals,
    stories: new MemoryStories(records),
    rateWindows,
    cluster: null,
    // Nothing to create: the tables exist as soon as the store does.
    migrate: () => Promise.resolve(),
    // Made by this code, in this process: always exactly its schema.
    schemaState: () => Promise.resolve({ exists: true, pending: [], unknown: [] }),
    close: () => {
      tables.clear();
      gaps.clear();
      offers.clear();
      users.clear();
      mailingList.clear();
      deals.clear();
      rateWindows.clearAll();
      return Promise.resolve();
    },
  });
}
