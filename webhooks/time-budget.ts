/** Raised when handling one webhook delivery took longer than WEBHOOK_TIME_BUDGET_MS; answered with 503. */
export class BudgetExceededError extends Error {
  readonly code = 'MAMORI_WEBHOOK_BUDGET_EXCEEDED';
  constructor(budgetMs: number) {
    super(`webhook handling took longer than ${budgetMs} ms`);
    this.name = 'BudgetExceededError';
  }
}

/**
 * The time one webhook delivery may take. Store work is raced against it (the loser keeps running in
 * the background, its result ignored: the advisor's outbox makes a late commit safe, because the
 * redelivery re-sends it), and each platform API call gets an AbortSignal for what is left, so a slow
 * platform cannot hold the request past the budget.
 */
export class TimeBudget {
  readonly #deadline: number;
  readonly #budgetMs: number;

  constructor(budgetMs: number, now = Date.now()) {
    this.#budgetMs = budgetMs;
    this.#deadline = now + budgetMs;
  }

  remainingMs(): number {
    return Math.max(0, this.#deadline - Date.now());
  }

  /** Milliseconds for one API call: what is left of the budget, capped. */
  callTimeoutMs(capMs: number): number {
    return Math.max(1, Math.min(capMs, this.remainingMs()));
  }

  /** Resolves with the promise, or rejects with BudgetExceededError when the budget runs out first. */
  race<T>(promise: Promise<T>): Promise<T> {
    const left = this.remainingMs();
    // The promise may still reject after we gave up on it: swallow that here, the caller has moved on.
    promise.catch(() => {});
    if (left <= 0) return Promise.reject(new BudgetExceededError(this.#budgetMs));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BudgetExceededError(this.#budgetMs)), left);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
