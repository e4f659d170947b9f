// A Rollout and what `get rollout` shows with it: its ReplicaSets and pods (listed with its selector)
// and the namespace's AnalysisRuns (filtered by owner when shown). Read once, or kept current by watches.
import { LiveList } from './live-list';
import {
  type AnalysisRunObj,
  type Pod,
  RES,
  type ReplicaSet,
  type RolloutObj,
  selectorString,
} from './model';
import { getRollout, type Session } from './session';

export interface RolloutObjects {
  rollout: RolloutObj;
  replicaSets: ReplicaSet[];
  pods: Pod[];
  analysisRuns: AnalysisRunObj[];
}

export async function readRolloutObjects(s: Session, name: string): Promise<RolloutObjects> {
  const rollout = await getRollout(s, name);
  const namespace = rollout.metadata.namespace ?? s.namespace;
  const labelSelector = selectorString(rollout.spec.selector);
  const [replicaSets, pods, analysisRuns] = await Promise.all([
    s.client.list<ReplicaSet>(RES.replicaSets, { namespace, labelSelector }),
    s.client.list<Pod>(RES.pods, { namespace, labelSelector }),
    s.client.list<AnalysisRunObj>(RES.analysisRuns, { namespace }),
  ]);
  return { rollout, replicaSets: replicaSets.items, pods: pods.items, analysisRuns: analysisRuns.items };
}

/** The objects of one Rollout, kept current by four watches; `onChange` after each change. */
export class RolloutWatch {
  private readonly rollouts: LiveList<RolloutObj>;
  private readonly replicaSets: LiveList<ReplicaSet>;
  private readonly pods: LiveList<Pod>;
  private readonly runs: LiveList<AnalysisRunObj>;

  constructor(session: Session, first: RolloutObj, onChange: () => void) {
    const namespace = first.metadata.namespace ?? session.namespace;
    const labelSelector = selectorString(first.spec.selector);
    const fieldSelector = `metadata.name=${first.metadata.name}`;
    this.rollouts = new LiveList(session, RES.rollouts, { namespace, fieldSelector }, onChange);
    this.replicaSets = new LiveList(session, RES.replicaSets, { namespace, labelSelector }, onChange);
    this.pods = new LiveList(session, RES.pods, { namespace, labelSelector }, onChange);
    this.runs = new LiveList(session, RES.analysisRuns, { namespace }, onChange);
  }

  private get lists() {
    return [this.rollouts, this.replicaSets, this.pods, this.runs] as const;
  }

  async load(): Promise<void> {
    await Promise.all(this.lists.map((l) => l.load()));
  }

  /** Follows every watch until `signal` aborts; rejects when one of them keeps failing. */
  follow(signal: AbortSignal): Promise<void> {
    return Promise.all(this.lists.map((l) => l.follow(signal))).then(() => {});
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
    };
  }
}
