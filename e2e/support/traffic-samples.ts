// The traffic app's /status, read every few hundred ms beside a scenario: how many requests each
// version received up to each moment, so a scenario can tell what share of the traffic a version got
// between two moments (the route's weight as the data plane carried it), not just since the start.
import type { TrafficStatus } from '@ramp/testkit';
import { getJson } from './polling';

export interface TrafficSample {
  /** When it was read (epoch ms). */
  at: number;
  status: TrafficStatus;
}

export class TrafficSamples {
  private readonly samples: TrafficSample[] = [];
  private readonly timer: NodeJS.Timeout;
  private reading = false;

  private constructor(
    private readonly url: string,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => void this.read(), intervalMs);
  }

  /** Starts reading `${url}/status` every `intervalMs`. */
  static start(url: string, intervalMs = 200): TrafficSamples {
    return new TrafficSamples(url, intervalMs);
  }

  all(): readonly TrafficSample[] {
    return this.samples;
  }

  /**
   * The client-facing requests each version's pods received between the last sample at or before
   * `from` and the last one at or before `to`. Exact while the version keeps its pods in between
   * (a deleted pod takes its counts with it).
   */
  receivedBetween(from: number, to: number): Map<string, number> {
    const at = (t: number) => this.samples.filter((s) => s.at <= t).at(-1);
    const a = at(from);
    const b = at(to);
    if (!a || !b || a === b) throw new Error(`fewer than two traffic samples from ${from} to ${to}`);
    const before = new Map(a.status.versions.map((v) => [v.version, v.received]));
    return new Map(b.status.versions.map((v) => [v.version, v.received - (before.get(v.version) ?? 0)]));
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      this.samples.push({ at: Date.now(), status: await getJson<TrafficStatus>(`${this.url}/status`) });
    } catch {
      // The app is stopping with the stack, or slow once: the next read counts.
    } finally {
      this.reading = false;
    }
  }
}
