// Work that goes out by post: a day's letter and gift tasks with the customer and order each is
// about (for the address), and the printed mark that keeps `aftercare letters` from printing a
// letter twice. Tasks done or cancelled are never listed: only work still to do is printed.
import type { Customer, Millis, Order, Task } from '../../core/domain.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { TaskStore } from '../../store/ports/tasks.js';
import type { Clock } from '../clock.js';

export interface PostalWork {
  task: Task;
  /** Null when the customer was erased since. */
  customer: Customer | null;
  order: Order | null;
}

export interface PostalQuery {
  kind: 'letter' | 'gift';
  /** Due at or after. */
  from: Millis;
  /** Due before. */
  before: Millis;
  /** Also list tasks printed before (a reprint); default: only those never printed. */
  includePrinted?: boolean;
}

export interface PostalCommands {
  /** Open and claimed tasks of the kind due in the window, by due time then id. */
  due(query: PostalQuery): Promise<PostalWork[]>;
  /** Marks these tasks printed now; resolves to how many were marked. */
  markPrinted(ids: readonly string[]): Promise<number>;
}

/** Still to do: a claimed letter (someone is on it) is printed too; done or cancelled ones are not. */
const TO_DO: readonly Task['status'][] = ['open', 'claimed'];

export function postalCommands(deps: { tasks: TaskStore; reads: ReadStore; clock: Clock }): PostalCommands {
  const { tasks, reads, clock } = deps;
  return {
    async due(query) {
      const found: Task[] = [];
      for (const status of TO_DO) {
        found.push(
          ...(await tasks.list({
            kind: query.kind,
            status,
            dueFrom: query.from,
            dueBefore: query.before,
            ...(query.includePrinted ? {} : { printed: false }),
          })),
        );
      }
      found.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const work: PostalWork[] = [];
      for (const task of found) {
        const customer = await reads.getCustomer(task.customerId);
        const order = task.orderId === null ? null : await reads.getOrder(task.orderId);
        work.push({ task, customer, order });
      }
      return work;
    },
    markPrinted(ids) {
      return tasks.markPrinted(ids, clock.now());
    },
  };
}
