// The bad version's abort as the demo saw it: when the rollout was aborted and, with --gateway-api,
// the order that follows: the route's canary weight back to 0 first, the canary's ReplicaSet scaled
// down only abortScaleDownDelaySeconds later, so no request goes to a pod that is going away.
import type { ReplicaSet } from '@ramp/controller';
import type { Observed } from './live-view';

export class AbortTimeline {
  private abortedAt: number | undefined;
  private weightZeroAt: number | undefined;
  private scaledDownAt: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** One observation during the bad version's rollout; `canary` is its ReplicaSet. */
  see(o: Observed, canary: ReplicaSet | undefined): void {
    if (!o.rollout?.status?.abort) return;
    const t = this.now();
    this.abortedAt ??= t;
    if (this.weightZeroAt === undefined && o.route?.canary === 0) this.weightZeroAt = t;
    if (this.scaledDownAt === undefined && canary && (canary.spec.replicas ?? 0) === 0) this.scaledDownAt = t;
  }

  /** When the abort was first seen (epoch ms). */
  aborted(): number | undefined {
    return this.abortedAt;
  }

  /** The summary's line on the route and the canary's pods. */
  routeOrder(delaySeconds: number): string {
    const zero = this.weightZeroAt;
    const down = this.scaledDownAt;
    if (zero === undefined || down === undefined)
      return "The route's canary weight back to 0, and the bad ReplicaSet scaled down: not both seen.";
    if (down < zero)
      return `The bad ReplicaSet was scaled down ${seconds(zero - down)}s BEFORE the route's canary weight went back to 0.`;
    return `The route's canary weight went back to 0 at the abort; the bad ReplicaSet was scaled down ${seconds(down - zero)}s later (abortScaleDownDelaySeconds: ${delaySeconds}).`;
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(0);
