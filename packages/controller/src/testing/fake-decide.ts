// A small level-triggered decide for the controller's tests: one ReplicaSet per image at spec.replicas,
// older ones at 0, the stable Service pointed at it, a status that says so, an Event when it creates the
// ReplicaSet. It records what it saw and can be told to fail or to ask for a wake-up.
import type { Rollout } from '@ramp/api';
import { replicaSetObject } from '@ramp/kube/testing';
import { replicaSetName } from '../model/names';
import { emptyPlan } from '../model/plan';
import type { RolloutSnapshot } from '../model/snapshot';
import type { DecideFn } from '../runtime/rollout-controller';

export interface FakeDecide {
  decide: DecideFn;
  /** Rollout names, one per decide call. */
  calls: string[];
  /** The snapshots decide saw last, by Rollout name. */
  seen: Map<string, RolloutSnapshot>;
  /** decide throws this many more times for a Rollout. */
  failNext: Map<string, number>;
  /** decide asks to be woken at this time for a Rollout. */
  wakeAt: Map<string, Date>;
}

/** A stand-in for the pod-template hash: a short hash of the first container's image. */
export function hashOf(rollout: Rollout): string {
  const image = String(rollout.spec.template?.spec?.containers[0]?.image ?? '');
  let h = 7;
  for (const c of image) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36).slice(0, 8);
}

export function fakeDecide(): FakeDecide {
  const calls: string[] = [];
  const seen = new Map<string, RolloutSnapshot>();
  const failNext = new Map<string, number>();
  const wakeAt = new Map<string, Date>();
  const decide: DecideFn = (snapshot, now) => {
    const { rollout } = snapshot;
    const name = rollout.metadata.name ?? '';
    calls.push(name);
    seen.set(name, snapshot);
    const left = failNext.get(name) ?? 0;
    if (left > 0) {
      failNext.set(name, left - 1);
      throw new Error('decide failed');
    }
    const hash = hashOf(rollout);
    const rsName = replicaSetName(name, hash);
    const current = snapshot.replicaSets.find((rs) => rs.metadata.name === rsName);
    const replicas = rollout.spec.replicas ?? 1;
    const plan = emptyPlan({
      ...rollout.status,
      phase: current ? 'Healthy' : 'Progressing',
      currentPodHash: hash,
      replicas: current?.spec.replicas ?? 0,
    });
    if (!current) {
      plan.createReplicaSet = replicaSetObject(
        rsName,
        hash,
        { name, uid: rollout.metadata.uid ?? '' },
        replicas,
      );
      plan.events.push({ type: 'Normal', reason: 'RolloutUpdated', message: `created ReplicaSet ${rsName}` });
    } else if (current.spec.replicas !== replicas) {
      plan.updateReplicaSets.push({ name: rsName, replicas });
    }
    for (const rs of snapshot.replicaSets) {
      if (rs !== current && rs.spec.replicas !== 0)
        plan.updateReplicaSets.push({ name: rs.metadata.name, replicas: 0 });
    }
    const stable = rollout.spec.strategy?.canary?.stableService;
    if (stable && current) plan.updateServices.push({ name: stable, podTemplateHash: hash, managedBy: name });
    const wake = wakeAt.get(name);
    if (wake && wake.getTime() > now.getTime()) plan.wakeAt = wake;
    return plan;
  };
  return { decide, calls, seen, failNext, wakeAt };
}
