// Runs the store contract on the in-memory store: a fresh store per test, dropped in cleanup.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import { openMemoryStore } from '../../src/store/memory/store.js';
import { storeContract } from './contract.js';

storeContract('memory', async () => {
  const store = await openMemoryStore();
  return { store, cleanup: () => store.close() };
});
