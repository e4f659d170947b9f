// The routing objects of a watched Rollout, kept current by reading them again (RouteReader: one request
// per kind) when the Rollout changes and every few seconds, never two reads at once and never two within
// `gapMs`. Polled, not watched: a person who may get a route but not watch it still sees it, and a read
// that fails is a note on the object, not the end of the watch.
import type { RolloutObj } from './model';
import type { RouteRead, RouteReader } from './route-reader';

export class RoutePoller {
  private reads: RouteRead[] | undefined;
  private running = false;
  private wanted = false;
  private lastStart = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly reader: RouteReader,
    /** The Rollout as watched now (undefined once deleted). */
    private readonly rollout: () => RolloutObj | undefined,
    /** Called when what was read differs from the last read. */
    private readonly onChange: () => void,
    private readonly everyMs = 2000,
    private readonly gapMs = Math.min(500, everyMs),
  ) {}

  /** The last read; undefined before the first. */
  current(): RouteRead[] | undefined {
    return this.reads;
  }

  /** The first read (the first frame waits for it). */
  async load(): Promise<void> {
    this.lastStart = Date.now();
    await this.refresh();
  }

  /** Asks for a read soon: now when none runs and the last began `gapMs` ago, else after. */
  poke(): void {
    if (this.stopped) return;
    this.wanted = true;
    if (this.running || this.timer) return;
    const wait = Math.max(0, this.lastStart + this.gapMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  /** Reads every `everyMs` until `signal` aborts. */
  follow(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const ticker = setInterval(() => this.poke(), this.everyMs);
      const end = () => {
        clearInterval(ticker);
        this.stop();
        resolve();
      };
      if (signal.aborted) end();
      else signal.addEventListener('abort', end, { once: true });
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    if (this.stopped || !this.wanted) return;
    this.wanted = false;
    this.running = true;
    this.lastStart = Date.now();
    try {
      await this.refresh();
    } finally {
      this.running = false;
      if (this.wanted) this.poke();
    }
  }

  private async refresh(): Promise<void> {
    const rollout = this.rollout();
    if (!rollout) return;
    const reads = await this.reader.read(rollout);
    if (this.stopped || JSON.stringify(reads) === JSON.stringify(this.reads)) return;
    this.reads = reads;
    this.onChange();
  }
}
