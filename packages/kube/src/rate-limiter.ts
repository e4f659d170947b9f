// Client-side rate limiting: a token bucket of `burst` tokens refilled at `qps` per second, as
// client-go's. Requests reserve a token in arrival order and wait until it is theirs.
import { type Clock, sleep } from './clock';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`rate limit needs qps > 0 and burst >= 1`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token now and says how long to wait before using it (0: at once). */
  reserve(): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }

  /** Gives back a token reserved but not used (its request was cancelled). */
  cancel(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Waits for a token; when `signal` aborts first, the token is given back and this resolves. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait === 0) return;
    await sleep(this.clock, wait, signal);
    if (signal?.aborted) this.cancel();
  }
}
