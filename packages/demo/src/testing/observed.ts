// What the live view observes, built for tests: the seed canary paused at 20% (step 1 of 4), a
// stable and a canary ReplicaSet, and the background AnalysisRun with one measurement.
import type { AnalysisRun, Rollout } from '@ramp/api';
import type { ReplicaSet } from '@ramp/controller';
import type { Observed } from '../live-view';
import { seedCanary } from '../manifests';

function replicaSet(hash: string, tag: string, replicas: number, available: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `sgdecoding-online-scaled-${hash}`, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'sgdecoding-online-scaled' } },
      template: { spec: { containers: [{ name: 'master', image: `ghcr.io/kaikiat/fyp-ci:${tag}` }] } },
    },
    status: { replicas, availableReplicas: available },
  } as ReplicaSet;
}

/** Paused at step 1/4 (20%): v1 5/5 stable, v2 1/1 canary, the analysis Running with one measurement. */
export function pausedAt20(): Observed {
  const rollout: Rollout = seedCanary();
  rollout.status = {
    phase: 'Paused',
    currentStepIndex: 1,
    stableRS: 'aaa',
    currentPodHash: 'bbb',
    canary: { currentBackgroundAnalysisRunStatus: { name: 'run-2', status: 'Running' } },
  } as Rollout['status'];
  const run = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: { name: 'run-2', namespace: 'default' },
    spec: { metrics: [] },
    status: {
      phase: 'Running',
      metricResults: [
        {
          name: 'canary-error-ratio',
          phase: 'Running',
          successful: 2,
          failed: 0,
          measurements: [{ phase: 'Successful', value: '[0.004374856090260189]' }],
        },
      ],
    },
  } as unknown as AnalysisRun;
  return {
    rollout,
    replicaSets: [replicaSet('aaa', 'v1', 5, 5), replicaSet('bbb', 'v2', 1, 1)],
    runs: [run],
  };
}
