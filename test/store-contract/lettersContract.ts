// Contract: printing letter tasks. Every store lists tasks by kind, by a due window and by whether
// they were printed, and keeps the printed mark across reads and later changes of the task.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, HOUR, T0, task, withStore, type OpenStore } from './fixtures.js';

export function lettersContract(open: OpenStore): void {
  const letters = [
    task('t:l1', 'tp:l1', { kind: 'letter', dueAt: T0 + HOUR }),
    task('t:l2', 'tp:l2', { kind: 'letter', dueAt: T0 + 2 * HOUR }),
    task('t:l3', 'tp:l3', { kind: 'letter', dueAt: T0 + DAY }),
    task('t:g1', 'tp:g1', { kind: 'gift', dueAt: T0 + HOUR }),
  ];
  const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);

  test('lists by kind and due window, [from, before)', async () => {
    await withStore(open, async (store) => {
      for (const t of letters) await store.tasks.create(t);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'letter', dueFrom: T0, dueBefore: T0 + DAY })), [
        't:l1',
        't:l2',
      ]);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'letter', dueFrom: T0 + DAY })), ['t:l3']);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'gift', dueBefore: T0 + DAY })), ['t:g1']);
      assert.deepEqual(ids(await store.tasks.list({ dueFrom: T0 + 2 * HOUR, dueBefore: T0 + DAY })), [
        't:l2',
      ]);
    });
  });

  test('a printed task leaves the unprinted list and stays printed after it changes', async () => {
    await withStore(open, async (store) => {
      for (const t of letters) await store.tasks.create(t);
      assert.equal(await store.tasks.markPrinted(['t:l1', 't:l1', 'nope'], T0 + 3 * HOUR), 1);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'letter', printed: false })), ['t:l2', 't:l3']);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'letter', printed: true })), ['t:l1']);
      // A claim or a note does not lose the mark.
      const claimed = await store.tasks.transition('t:l1', ['open'], { status: 'claimed', owner: 'ana' });
      assert.equal(claimed.ok, true);
      assert.deepEqual(ids(await store.tasks.list({ printed: true })), ['t:l1']);
      // Printing again (a reprint) is allowed and counts.
      assert.equal(await store.tasks.markPrinted(['t:l1', 't:l2'], T0 + 4 * HOUR), 2);
      assert.deepEqual(ids(await store.tasks.list({ kind: 'letter', printed: true })), ['t:l1', 't:l2']);
      assert.equal(await store.tasks.markPrinted([], T0), 0);
      // The other filters still apply together with it.
      assert.deepEqual(ids(await store.tasks.list({ printed: false, status: 'open' })), ['t:g1', 't:l3']);
    });
  });
}
