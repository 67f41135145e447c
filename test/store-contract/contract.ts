// The one contract every Store adapter must pass, through the port only. Each test opens its
// own isolated store with `open()` and cleans it up afterwards.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import { describe } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { accessContract } from './accessContract.js';
import { batchingContract } from './batchingContract.js';
import { dashboardScaleContract } from './dashboardScaleContract.js';
import { dealsContract } from './dealsContract.js';
import { dispatchContract } from './dispatchContract.js';
import { gapsContract } from './gapsContract.js';
import { hostileContract } from './hostileContract.js';
import { intakeContract } from './intakeContract.js';
import { lettersContract } from './lettersContract.js';
import { listeningContract } from './listeningContract.js';
import { mailingListContract } from './mailingListContract.js';
import { measuringContract } from './measuringContract.js';
import { offersContract } from './offersContract.js';
import { privacyContract } from './privacyContract.js';
import { recordsContract } from './recordsContract.js';
import { repeatContract } from './repeatContract.js';
import { usersContract } from './usersContract.js';
import { storiesContract } from './storiesContract.js';
import { versionsInboxContract } from './versionsInboxContract.js';

export function storeContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>,
): void {
  describe(name, () => {
    describe('intake', () => intakeContract(open));
    describe('intake batching', () => batchingContract(open));
    describe('dispatch', () => dispatchContract(open));
    describe('tasks, suppressions and reads', () => recordsContract(open));
    describe('API keys, idempotency, export and erasure', () => accessContract(open));
    describe('erasure holds: tombstones, keyed ids, nothing left behind', () => privacyContract(open));
    describe('playbook versions and the webhook inbox', () => versionsInboxContract(open));
    describe('listening: unheard events, concerns and their timers', () => listeningContract(open));
    describe('repeat purchases', () => repeatContract(open));
    describe('hostile input: contact details and implausible times', () => hostileContract(open));
    describe('letters: printed tasks', () => lettersContract(open));
    describe("measuring: the report's cells", () => measuringContract(open));
    describe('gap analysis: team audits, action items, survey answers by step', () => gapsContract(open));
    describe('insider offer codes: assignment, cap, redemption', () => offersContract(open));
    describe('dashboard users, sessions and customer search', () => usersContract(open));
    describe('mailing list: double opt-in, news, digest claims', () => mailingListContract(open));
    describe('deals: before their order', () => dealsContract(open));
    describe('customer stories: who was told which, with the send', () => storiesContract(open));
    describe('dashboard at scale: name search, shared sign-in limits', () => dashboardScaleContract(open));
  });
}
