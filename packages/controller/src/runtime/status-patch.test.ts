import type { KubeClient } from '@ramp/kube';
import { writeStatus } from './status-patch';

type Opts = { subresource?: string; type?: string };

/** A client that records its patches: `plural[/subresource] name`, the body, the patch type. */
function recordingClient() {
  const sent: { path: string; body: unknown; type?: string }[] = [];
  const patch = async (res: { plural: string }, name: string, body: unknown, opts: Opts) => {
    const path = `${res.plural}${opts.subresource ? `/${opts.subresource}` : ''} ${name}`;
    sent.push({ path, body, type: opts.type });
    return {};
  };
  const patchStatus = (res: { plural: string }, name: string, body: unknown, opts: Opts) =>
    patch(res, name, body, { ...opts, subresource: 'status' });
  return { client: { patch, patchStatus } as unknown as KubeClient, sent };
}

const target = (kind: 'Rollout' | 'AnalysisRun') => ({
  kind,
  name: 'x',
  namespace: 'ns',
  resourceVersion: '7',
});

test('the diff of the status, guarded by the version it was decided on', async () => {
  const { client, sent } = recordingClient();
  const from = { phase: 'Running', message: 'm', metricResults: [{ name: 'a', count: 1 }] };
  const to = { phase: 'Successful', metricResults: [{ name: 'a', count: 2 }] };
  expect(await writeStatus(client, target('AnalysisRun'), from, to)).toBe(true);
  expect(sent).toEqual([
    {
      path: 'analysisruns x',
      body: {
        metadata: { resourceVersion: '7' },
        status: { phase: 'Successful', message: null, metricResults: to.metricResults },
      },
      type: 'merge',
    },
  ]);
});

test("a Rollout's status goes to its status subresource; none before it is the whole status", async () => {
  const { client, sent } = recordingClient();
  expect(await writeStatus(client, target('Rollout'), undefined, { phase: 'Healthy' })).toBe(true);
  expect(sent).toEqual([
    {
      path: 'rollouts/status x',
      body: { metadata: { resourceVersion: '7' }, status: { phase: 'Healthy' } },
      type: undefined,
    },
  ]);
});

test('nothing is sent when the statuses are equal', async () => {
  const { client, sent } = recordingClient();
  const status = { phase: 'Running', metricResults: [{ name: 'a' }] };
  expect(await writeStatus(client, target('AnalysisRun'), status, structuredClone(status))).toBe(false);
  expect(
    await writeStatus(
      client,
      target('Rollout'),
      { phase: 'Healthy' },
      { phase: 'Healthy', message: undefined },
    ),
  ).toBe(false);
  expect(sent).toEqual([]);
});
