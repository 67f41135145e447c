// The memory store works synchronously, so each call is atomic (nothing can interleave with it);
// its ports still answer with promises, and an error must reach the caller as a rejection.

/** Runs `work` now and hands back its result, or its error, as a settled promise. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
