// A Rollout and what `get rollout` shows with it: its ReplicaSets and pods (listed with its selector),
// the namespace's AnalysisRuns (filtered by owner when shown), and a routed canary's routing objects.
// Read once, or kept current by watches (the routing objects by polling: route-poller.ts).
import { LiveList } from './live-list';
import {
  type AnalysisRunObj,
  type Pod,
  RES,
  type ReplicaSet,
  type RolloutObj,
  selectorString,
} from './model';
import { RoutePoller } from './route-poller';
import { type RouteRead, RouteReader } from './route-reader';
import { getRollout, type Session } from './session';

export interface RolloutObjects {
  rollout: RolloutObj;
  replicaSets: ReplicaSet[];
  pods: Pod[];
  analysisRuns: AnalysisRunObj[];
  /** The routing objects of a canary with trafficRouting (none otherwise). */
  routing: RouteRead[];
}

export async function readRolloutObjects(s: Session, name: string): Promise<RolloutObjects> {
  const rollout = await getRollout(s, name);
  const namespace = rollout.metadata.namespace ?? s.namespace;
  const labelSelector = selectorString(rollout.spec.selector);
  const [replicaSets, pods, analysisRuns, routing] = await Promise.all([
    s.client.list<ReplicaSet>(RES.replicaSets, { namespace, labelSelector }),
    s.client.list<Pod>(RES.pods, { namespace, labelSelector }),
    s.client.list<AnalysisRunObj>(RES.analysisRuns, { namespace }),
    new RouteReader(s).read(rollout),
  ]);
  return {
    rollout,
    replicaSets: replicaSets.items,
    pods: pods.items,
    analysisRuns: analysisRuns.items,
    routing,
  };
}

/**
 * The objects of one Rollout, kept current by four watches and the routing objects' poller (every
 * `routeRefreshMs`, and when the Rollout changes); `onChange` after each change.
 */
export class RolloutWatch {
  private readonly rollouts: LiveList<RolloutObj>;
  private readonly replicaSets: LiveList<ReplicaSet>;
  private readonly pods: LiveList<Pod>;
  private readonly runs: LiveList<AnalysisRunObj>;
  private readonly routes: RoutePoller;

  constructor(session: Session, first: RolloutObj, onChange: () => void, routeRefreshMs?: number) {
    const namespace = first.metadata.namespace ?? session.namespace;
    const labelSelector = selectorString(first.spec.selector);
    const fieldSelector = `metadata.name=${first.metadata.name}`;
    const reader = new RouteReader(session);
    this.routes = new RoutePoller(reader, () => this.rollouts.values[0], onChange, routeRefreshMs);
    this.rollouts = new LiveList(session, RES.rollouts, { namespace, fieldSelector }, () => {
      onChange();
      this.routes.poke();
    });
    this.replicaSets = new LiveList(session, RES.replicaSets, { namespace, labelSelector }, onChange);
    this.pods = new LiveList(session, RES.pods, { namespace, labelSelector }, onChange);
    this.runs = new LiveList(session, RES.analysisRuns, { namespace }, onChange);
  }

  private get lists() {
    return [this.rollouts, this.replicaSets, this.pods, this.runs] as const;
  }

  async load(): Promise<void> {
    await Promise.all(this.lists.map((l) => l.load()));
    await this.routes.load();
  }

  /** Follows every watch until `signal` aborts; rejects when one of them keeps failing. */
  follow(signal: AbortSignal): Promise<void> {
    return Promise.all([...this.lists.map((l) => l.follow(signal)), this.routes.follow(signal)]).then(
      () => {},
      (err: unknown) => {
        this.routes.stop();
        throw err;
      },
    );
  }

  /** The current objects, or undefined once the Rollout is gone. */
  current(): RolloutObjects | undefined {
    const rollout = this.rollouts.values[0];
    if (!rollout) return undefined;
    return {
      rollout,
      replicaSets: this.replicaSets.values,
      pods: this.pods.values,
      analysisRuns: this.runs.values,
      routing: this.routes.current() ?? [],
    };
  }
}
