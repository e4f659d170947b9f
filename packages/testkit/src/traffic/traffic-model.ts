// The traffic the demo and the e2e suite send: a steady request rate split over the ready pods of
// a workload (as a Service would), each pod rejecting a share of its requests by the image it runs.
// Counters are kept per pod, as each real pod would export its own; a pod that is gone takes its
// series with it. Pure: the caller says how much time passed.

export interface PodView {
  name: string;
  /** The rollouts-pod-template-hash label (the version). */
  version: string;
  image: string;
  ready: boolean;
  /** The pod's labels, for the Services whose selectors select it (routed traffic). */
  labels?: Readonly<Record<string, string>>;
}

export interface RejectRule {
  /** Share of requests rejected by pods whose image matches `bad` (default: tag ending in "bad"). */
  badRatio: number;
  /** Share rejected by every other pod. */
  goodRatio: number;
  bad?: (image: string) => boolean;
}

export interface PodCounts {
  pod: string;
  version: string;
  received: number;
  rejected: number;
}

/** A version whose tag ends in "errors" (`app:v3-errors`) answers with errors; "bad" tags never start (the simulator's rule). */
export const imageAnswersWithErrors = (image: string) => /errors$/.test(image.split(':').pop() ?? '');

/** Counters per pod, advanced by whole requests; fractions carry over to the next tick (deterministic). */
export class TrafficModel {
  private readonly counts = new Map<string, PodCounts & { carry: number; rejectCarry: number }>();

  constructor(
    private readonly requestsPerSecond: number,
    private readonly rule: RejectRule,
  ) {}

  /** Sends `seconds` worth of traffic to the ready pods; returns the counts of pods still present. */
  advance(pods: readonly PodView[], seconds: number): PodCounts[] {
    const present = new Set(pods.map((p) => p.name));
    for (const name of [...this.counts.keys()]) if (!present.has(name)) this.counts.delete(name);
    const ready = pods.filter((p) => p.ready);
    const share = ready.length > 0 ? (this.requestsPerSecond * seconds) / ready.length : 0;
    const isBad = this.rule.bad ?? imageAnswersWithErrors;
    for (const pod of pods) {
      let c = this.counts.get(pod.name);
      if (!c) {
        c = { pod: pod.name, version: pod.version, received: 0, rejected: 0, carry: 0, rejectCarry: 0 };
        this.counts.set(pod.name, c);
      }
      if (!pod.ready) continue;
      c.carry += share;
      const whole = Math.floor(c.carry);
      c.carry -= whole;
      c.received += whole;
      c.rejectCarry += whole * (isBad(pod.image) ? this.rule.badRatio : this.rule.goodRatio);
      const rejected = Math.floor(c.rejectCarry);
      c.rejectCarry -= rejected;
      c.rejected += rejected;
    }
    return this.snapshot();
  }

  snapshot(): PodCounts[] {
    return [...this.counts.values()].map(({ pod, version, received, rejected }) => ({
      pod,
      version,
      received,
      rejected,
    }));
  }

  /** Rejected / received over all present pods (NaN without traffic), as the seed query computes it. */
  rejectRatio(): number {
    const all = this.snapshot();
    const received = all.reduce((n, c) => n + c.received, 0);
    return all.reduce((n, c) => n + c.rejected, 0) / received;
  }
}
