import type { AnalysisRun } from '@ramp/api';
import type { KubeClient } from '@ramp/kube';
import type { EventRecorder } from '../runtime/event-recorder';
import { applyRunPlan } from './apply-run-plan';

const cached: AnalysisRun = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisRun',
  metadata: { name: 'run', namespace: 'ns', resourceVersion: '4' },
  spec: { metrics: [] },
  status: { phase: 'Running', startedAt: '2026-01-01T00:00:00Z' },
};

function setup() {
  const calls: unknown[][] = [];
  const client = {
    patch: async (...args: unknown[]) => calls.push(['patch', ...args.slice(1)]),
    delete: async (...args: unknown[]) => calls.push(['delete', ...args.slice(1)]),
  } as unknown as KubeClient;
  const recorded: string[] = [];
  const events = {
    record: async (obj: { kind: string; metadata: { name?: string } }, e: { reason: string }) =>
      recorded.push(`${obj.kind}/${obj.metadata.name} ${e.reason}`),
  } as unknown as EventRecorder;
  return { ctx: { client, events }, calls, recorded };
}

test('a new status: one guarded patch of the diff, then the Events', async () => {
  const { ctx, calls, recorded } = setup();
  const status = { phase: 'Successful' as const, startedAt: '2026-01-01T00:00:00Z', message: 'done' };
  const event = { type: 'Normal' as const, reason: 'AnalysisRunSuccessful', message: 'm' };
  const result = await applyRunPlan(ctx, cached, { status, events: [event] });
  expect(calls).toEqual([
    [
      'patch',
      'run',
      { metadata: { resourceVersion: '4' }, status: { phase: 'Successful', message: 'done' } },
      { namespace: 'ns', type: 'merge' },
    ],
  ]);
  expect(recorded).toEqual(['AnalysisRun/run AnalysisRunSuccessful']);
  expect(result).toEqual({ writes: ['patch AnalysisRun/run/status'], replaced: ['4'] });
});

test('the same status again writes nothing', async () => {
  const { ctx, calls } = setup();
  const result = await applyRunPlan(ctx, cached, { status: structuredClone(cached.status!), events: [] });
  expect(calls).toEqual([]);
  expect(result).toEqual({ writes: [], replaced: [] });
});

test('a deletion is the only write', async () => {
  const { ctx, calls } = setup();
  const result = await applyRunPlan(ctx, cached, { delete: true, events: [] });
  expect(calls).toEqual([['delete', 'run', { namespace: 'ns' }]]);
  expect(result).toEqual({ writes: ['delete AnalysisRun/run'], replaced: [] });
});
