// The memory store works synchronously, so each call is atomic (nothing can interleave with it);
// its ports still answer with promises, and an error must reach the caller as a rejection.

/**
 * Runs `work` now and hands back its result as a promise. The executor runs at once, and what
 * `work` throws becomes the rejection as thrown: a reducer's own error reaches the caller unchanged.
 */
export function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}
