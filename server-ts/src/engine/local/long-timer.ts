/**
 * A timeout of any length. Node's timers hold at most 2^31-1 ms (24.8 days) and fire after 1 ms when
 * given more, so a longer wait is made of shorter ones.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LongTimer {
  private timer?: NodeJS.Timeout;
  private readonly deadline: number;

  constructor(
    ms: number,
    private readonly fire: () => void
  ) {
    this.deadline = Date.now() + ms;
    this.arm();
  }

  cancel(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    const left = this.deadline - Date.now();
    if (left <= 0) return this.fire();
    this.timer = setTimeout(() => this.arm(), Math.min(left, MAX_TIMER_MS));
    this.timer.unref?.();
  }
}
