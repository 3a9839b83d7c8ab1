/**
 * Refreshes where only the newest answer counts: a list fetched again before the last fetch answered must not be
 * overwritten by that older answer.
 */
export class LatestRequest {
  /** Runs `load`; `settle` gets its outcome only if no later `run` started meanwhile and `alive()` still holds. */
  async run<T>(
    load: () => Promise<T>,
    settle: (outcome: { value: T } | { error: unknown }) => void,
    alive: () => boolean
  ): Promise<void> {
    const request = ++this._latest;
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await load() };
    } catch (error) {
      outcome = { error };
    }
    if (request === this._latest && alive()) {
      settle(outcome);
    }
  }

  private _latest = 0;
}
