// The views on fixed objects and a fixed clock: the exact `get rollout` page (columns, tags, delays,
// restarts, analysis counts), colour, the list table, `get analysisrun`, ages, phases and frames.
import type { AnalysisRunObj, Pod, ReplicaSet, RolloutObj } from '../kube/model';
import { analysisRunView, renderAnalysisRun } from './analysisrun-view';
import { waitingForPerson } from './phase';
import { rolloutInfo } from './rollout-info';
import { renderTable, rolloutRow, tableLayout } from './rollout-table';
import { renderRollout } from './rollout-tree';
import { ansiPaint, stripAnsi } from './text';

const NOW = new Date('2026-11-21T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const owner = (uid: string) => [{ apiVersion: 'x', kind: 'Rollout', name: 'o', uid, controller: true }];

function rs(
  name: string,
  hash: string,
  revision: number,
  replicas: number,
  extra: Partial<ReplicaSet['metadata']> = {},
): ReplicaSet {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: ago(revision === 1 ? 3700 : 95),
      labels: { 'rollouts-pod-template-hash': hash },
      annotations: { 'rollout.argoproj.io/revision': String(revision), ...extra.annotations },
      ownerReferences: owner('ro-uid'),
    },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'app', image: revision === 1 ? 'app:v1' : 'app:v2' }] } },
    },
    status: { replicas, availableReplicas: replicas, readyReplicas: replicas },
  };
}

function pod(name: string, rsName: string, seconds: number, status: Pod['status']): Pod {
  return {
    metadata: { name, creationTimestamp: ago(seconds), ownerReferences: owner(`uid-${rsName}`) },
    spec: { containers: [{ name: 'app' }] },
    status,
  };
}

const running: Pod['status'] = {
  phase: 'Running',
  containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
};

const canaryRollout: RolloutObj = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'shop', namespace: 'prod', uid: 'ro-uid', generation: 2, creationTimestamp: ago(7200) },
  spec: {
    replicas: 4,
    strategy: { canary: { steps: [{ setWeight: 25 }, { analysis: {} }, { pause: {} }, { setWeight: 75 }] } },
  },
  status: {
    phase: 'Paused',
    message: 'CanaryPauseStep',
    observedGeneration: '2',
    currentStepIndex: 2,
    stableRS: 'aaa111',
    currentPodHash: 'bbb222',
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 3,
    availableReplicas: 3,
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: ago(30) }],
  },
};

const objects = {
  replicaSets: [
    rs('shop-aaa111', 'aaa111', 1, 3),
    rs('shop-bbb222', 'bbb222', 2, 1),
    rs('other', 'x', 9, 1, {}),
  ].map((r) =>
    r.metadata.name === 'other' ? { ...r, metadata: { ...r.metadata, ownerReferences: owner('nope') } } : r,
  ),
  pods: [
    pod('shop-aaa111-b2c3d', 'shop-aaa111', 3600, running),
    pod('shop-aaa111-a1b2c', 'shop-aaa111', 3600, running),
    pod('shop-aaa111-zzzzz', 'shop-aaa111', 50, {
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    }),
    pod('shop-bbb222-q9w8e', 'shop-bbb222', 90, running),
  ],
  analysisRuns: [
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name: 'shop-bbb222-2-1',
        creationTimestamp: ago(60),
        annotations: { 'rollout.argoproj.io/revision': '2' },
        labels: { 'rollout-type': 'Step', 'step-index': '1' },
        ownerReferences: owner('ro-uid'),
      },
      spec: {
        metrics: [
          {
            name: 'errors',
            count: 3,
            failureLimit: 1,
            successCondition: 'result < 0.05',
            provider: { web: { url: 'http://x' } },
          },
        ],
      },
      status: {
        phase: 'Successful',
        startedAt: ago(60),
        completedAt: ago(40),
        metricResults: [
          {
            name: 'errors',
            phase: 'Successful',
            count: 3,
            successful: 2,
            failed: 1,
            measurements: [{ phase: 'Successful', value: '0.01' }],
          },
        ],
      },
    } as AnalysisRunObj,
  ],
};

test('get rollout: the page of a paused canary, exactly', () => {
  expect(renderRollout(rolloutInfo(canaryRollout, objects), { now: NOW })).toBe(`Name:            shop
Namespace:       prod
Status:          ॥ Paused
Message:         CanaryPauseStep
Strategy:        Canary
  Step:          2/4
  SetWeight:     25
  ActualWeight:  33
Images:          app:v1 (stable)
                 app:v2 (canary)
Replicas:
  Desired:       4
  Current:       4
  Updated:       1
  Ready:         3
  Available:     3

NAME                          KIND         STATUS              AGE   INFO
⟳ shop                        Rollout      ॥ Paused            120m
├──# revision:2
│  ├──⧉ shop-bbb222           ReplicaSet   ✔ Healthy           95s   canary
│  │  └──□ shop-bbb222-q9w8e  Pod          ✔ Running           90s   ready:1/1
│  └──α shop-bbb222-2-1       AnalysisRun  ✔ Successful        60s   ✔ 2,✖ 1
└──# revision:1
   └──⧉ shop-aaa111           ReplicaSet   ✔ Healthy           61m   stable
      ├──□ shop-aaa111-a1b2c  Pod          ✔ Running           60m   ready:1/1
      ├──□ shop-aaa111-b2c3d  Pod          ✔ Running           60m   ready:1/1
      └──□ shop-aaa111-zzzzz  Pod          ✖ CrashLoopBackOff  50s   ready:0/1,restarts:3
`);
});

test('colour only when asked: icons, tags and running analysis', () => {
  const info = rolloutInfo(canaryRollout, objects);
  const text = renderRollout(info, { now: NOW, paint: ansiPaint });
  expect(text).toContain('Images:          app:v1 (\u001b[32mstable\u001b[0m)');
  expect(text).toContain('\u001b[33mcanary\u001b[0m');
  // columns stay aligned: escapes take no width
  const lines = text.split('\n').filter((l) => l.includes('ReplicaSet'));
  expect(new Set(lines.map((l) => stripAnsi(l).indexOf('ReplicaSet'))).size).toBe(1);
});

test('blue-green: active and preview tags, a pending scale-down delay, no steps or weights', () => {
  const bg: RolloutObj = {
    ...canaryRollout,
    spec: { replicas: 1, strategy: { blueGreen: { activeService: 'a', previewService: 'p' } } },
    status: {
      phase: 'Healthy',
      observedGeneration: '2',
      stableRS: 'bbb222',
      currentPodHash: 'bbb222',
      blueGreen: { activeSelector: 'bbb222', previewSelector: 'bbb222' },
    },
  };
  const old = rs('shop-aaa111', 'aaa111', 1, 1, { annotations: { 'scale-down-deadline': ago(-25) } });
  const info = rolloutInfo(bg, {
    replicaSets: [old, rs('shop-bbb222', 'bbb222', 2, 1)],
    pods: [],
    analysisRuns: [],
  });
  const text = renderRollout(info, { now: NOW });
  expect(text).toContain(
    'Strategy:        BlueGreen\nImages:          app:v1\n                 app:v2 (active, stable)\n',
  );
  expect(text).not.toContain('Step:');
  expect(text).toMatch(/⧉ shop-bbb222 +ReplicaSet +✔ Healthy +95s +stable,active\n/);
  expect(text).toMatch(/⧉ shop-aaa111 +ReplicaSet +✔ Healthy +61m +delay:25s\n/);
});

test('list rollouts: the table, with NAMESPACE for all namespaces', () => {
  const rows = [rolloutRow(canaryRollout)];
  expect(renderTable(rows, tableLayout(rows, false))).toBe(
    'NAME        STRATEGY   STATUS        STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE\n' +
      'shop        Canary     Paused        2/4   25          3/4    4        1           3\n',
  );
  expect(renderTable(rows, tableLayout(rows, true)).split('\n')[1]).toBe(
    'prod       shop        Canary     Paused        2/4   25          3/4    4        1           3',
  );
  const unobserved = { ...canaryRollout, metadata: { ...canaryRollout.metadata, generation: 3 } };
  expect(rolloutRow(unobserved).status).toBe('Progressing');
  expect(rolloutRow({ ...canaryRollout, status: { ...canaryRollout.status, abort: true } }).setWeight).toBe(
    '0',
  );
});

test('get analysisrun: each metric against its limits', () => {
  const text = renderAnalysisRun(analysisRunView(objects.analysisRuns[0]!), NOW);
  expect(text).toBe(`Name:            shop-bbb222-2-1
Namespace:
Status:          ✔ Successful
Rollout:         o (revision 2, step analysis at step index 1)
Started:         ${ago(60)} (60s ago)
Completed:       ${ago(40)} (40s ago)

METRIC  STATUS        MEASURED  LAST VALUE  SUCCESSFUL  FAILED  INCONCLUSIVE  ERRORS  CONDITION
errors  ✔ Successful  3/3       0.01        2           1/1     0/0           0/4     success: result < 0.05
`);
});

test('waiting for a person: manual, indefinite pause steps, inconclusive analysis; not timed pauses', () => {
  expect(waitingForPerson(canaryRollout)).toBe('step 3 is a pause without a duration');
  const timed = {
    ...canaryRollout,
    spec: { ...canaryRollout.spec, strategy: { canary: { steps: [{ pause: { duration: '1m' } }] } } },
  };
  expect(waitingForPerson({ ...timed, status: { ...timed.status, currentStepIndex: 0 } })).toBeUndefined();
  expect(waitingForPerson({ ...timed, spec: { ...timed.spec, paused: true } })).toBe(
    'it was paused by hand (spec.paused)',
  );
  const inconclusive = {
    ...canaryRollout.status,
    pauseConditions: [{ reason: 'InconclusiveAnalysisRun', startTime: ago(1) }],
  };
  expect(waitingForPerson({ ...canaryRollout, status: inconclusive })).toBe('an analysis was inconclusive');
  expect(
    waitingForPerson({ ...canaryRollout, status: { ...canaryRollout.status, phase: 'Progressing' } }),
  ).toBeUndefined();
});
