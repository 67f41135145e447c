// The cluster capability of stores shared by several processes (PostgreSQL): wake-ups when
// another process adds due work, and periodic jobs that run once across the cluster.

export interface ClusterPort {
  /**
   * Call `listener` whenever another process (or this one) adds or moves work that is due soon,
   * and after a lost connection is back (work may have arrived meanwhile). Resolves to an
   * unsubscribe function.
   */
  onDueWork(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Run `fn` only if no other process is running the job of that name; resolves to null when
   * another one holds it.
   */
  runExclusive<T>(job: string, fn: () => Promise<T>): Promise<T | null>;
}
