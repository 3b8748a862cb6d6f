/**
 * Runs async work one piece at a time, in call order: the next starts when the previous settled (a failure
 * does not block the queue). For in-memory state that an async refresh changes across its awaits.
 */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    // The callback runs in the async context of this call (AsyncLocalStorage follows .then), so work
    // started inside a DataAccess transaction keeps using that transaction.
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
