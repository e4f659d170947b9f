import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stored } from '@ramp/kube/testing';
import { waitFor } from '@ramp/testkit';
import { createLogger } from '../runtime/logging';
import {
  canaryRollout,
  createRollout,
  RO,
  setImage,
  startTestController,
  startWorld,
  type TestController,
  type World,
  waitDone,
} from '../testing/operations/world';

jest.setTimeout(30_000);
const SECRET = 's3cr3t-t0ken-9f8e7d';
let world: World;
let ctl: TestController;
let server: Server;
const seen: IncomingHttpHeaders[] = [];
const lines: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ ok: req.headers.authorization === `Bearer ${SECRET}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const log = createLogger({ level: 'trace', out: { write: (s: string) => lines.push(s) } });
  ctl = startTestController(world, { log, lease: 'logs-lock', identity: 'logger' });
  await ctl.running.ready;
});

afterAll(async () => {
  await ctl.running.stop(2000);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await world.stop();
});

test('a run with a Secret arg: every log line is JSON with its fields, and none carries the secret', async () => {
  const port = (server.address() as AddressInfo).port;
  world.cluster.store.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'default' },
    data: { token: Buffer.from(SECRET).toString('base64') },
  });
  const metric = (name: string, url: string) => ({
    name,
    successCondition: 'result == true',
    provider: {
      web: { url, jsonPath: '{$.ok}', headers: [{ key: 'Authorization', value: 'Bearer {{args.token}}' }] },
    },
  });
  world.cluster.store.create(
    stored({
      apiVersion: RO,
      kind: 'AnalysisTemplate',
      metadata: { name: 'authed', namespace: 'default' },
      spec: {
        args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
        metrics: [
          metric('authorized', `http://127.0.0.1:${port}/check?t={{args.token}}`),
          // a dry-run metric whose requests fail, with the secret in the URL: its error must not leak
          { ...metric('unreachable', 'http://127.0.0.1:1/x?t={{args.token}}'), consecutiveErrorLimit: 0 },
        ],
        dryRun: [{ metricName: 'unreachable' }],
      },
    }),
  );
  const steps = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'authed' }] } }];
  createRollout(world, canaryRollout('logged', 'logged:1', { steps }));
  await waitDone(world, 'logged', 'logged:1');
  await setImage(world, 'logged', 'logged:2');
  await waitDone(world, 'logged', 'logged:2', 15_000);
  await waitFor('the run to be logged', () => lines.some((l) => l.includes('"analysisrun"')));
  expect(seen.some((h) => h.authorization === `Bearer ${SECRET}`)).toBe(true);
  const [run] = world.cluster.store.list(RO, 'AnalysisRun', { namespace: 'default' });
  const status = run?.status as { metricResults?: { name: string; phase: string }[] } | undefined;
  const results = status?.metricResults;
  expect(results?.find((r) => r.name === 'unreachable')?.phase).toBe('Error');
  expect(JSON.stringify(run)).not.toContain(SECRET);

  const text = lines.join('');
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const e of entries) {
    expect(typeof e.time).toBe('string');
    expect(typeof e.level).toBe('string');
    expect(typeof e.msg).toBe('string');
    if ('rollout' in e || 'analysisrun' in e) expect(e.namespace).toBe('default');
  }
  const reconciled = entries.filter((e) => e.msg === 'reconciled' && e.rollout === 'logged');
  expect(reconciled.length).toBeGreaterThan(0);
  for (const e of reconciled) expect(e.revision).toMatch(/^\d+$/);
  const runLines = entries.filter((e) => typeof e.analysisrun === 'string');
  expect(runLines.length).toBeGreaterThan(0);
  for (const e of runLines) expect(e).toMatchObject({ namespace: 'default', revision: '2' });
  expect(entries.some((e) => e.msg === 'became the leader' && e.lease === 'default/logs-lock')).toBe(true);
});
