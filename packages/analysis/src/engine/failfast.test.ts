// Walks the intent of Argo's e2e fixture test/e2e/expectedfailures/analysis-run-failfast.yaml with
// fake Job providers: one Job sleeps forever, the other fails after 30 s; the run must fail fast
// (Failed as soon as the second Job fails) and stop the first Job instead of waiting for it.
// The fixture is deliberately mis-indented YAML (Argo keeps it among its expected failures), so its
// metrics are read from the text rather than parsed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AnalysisRunSpec, Metric } from '@ramp/api';
import { jobMetric } from '../testing/engine';
import { FakeClock } from '../testing/fake-clock';
import type { EngineProvider, MeasureOutcome } from './measure';
import { runToCompletion } from './run-to-completion';
import type { MeasurementReport } from './step-run';

function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const FIXTURE = resolve(
  repoRoot(__dirname),
  '../shared/argo-compat/test/e2e/expectedfailures/analysis-run-failfast.yaml',
);
const haveFixture = existsSync(FIXTURE);
if (!haveFixture) {
  console.warn(`skipping the fail-fast fixture test: ${FIXTURE} does not exist`);
}

interface FixtureMetric {
  name: string;
  command: string;
}

/** The metrics of the fixture: a `- name:` item followed by `provider:`, with its container command. */
function readFixture(text: string): FixtureMetric[] {
  const lines = text.split('\n');
  const metrics: FixtureMetric[] = [];
  lines.forEach((line, i) => {
    const item = /^\s*- name: (\S+)\s*$/.exec(line);
    if (!item || !/^\s*provider:\s*$/.test(lines[i + 1] ?? '')) return;
    const rest = lines.slice(i + 1);
    const end = rest.findIndex(
      (l, j) => j > 0 && /^\s*- name: \S+\s*$/.test(l) && /^\s*provider:/.test(rest[j + 1] ?? ''),
    );
    const block = (end === -1 ? rest : rest.slice(0, end)).join('\n');
    const command = /command: (\[.*\])/.exec(block)?.[1] ?? '';
    metrics.push({ name: item[1] as string, command });
  });
  return metrics;
}

/** A fake Job provider: the job "runs" its command; `sleep N; exit 1` fails after N seconds, `sleep 365d` never ends. */
class FakeJobs implements EngineProvider {
  readonly type = 'job';
  readonly started = new Map<string, Date>();
  readonly terminated: string[] = [];
  constructor(private readonly commands: Map<string, string>) {}

  private poll(metric: Metric, now: Date): MeasureOutcome {
    const command = this.commands.get(metric.name) ?? '';
    const started = this.started.get(metric.name) as Date;
    const failAfter = /sleep (\d+); exit 1/.exec(command);
    if (failAfter && now.getTime() - started.getTime() >= Number(failAfter[1]) * 1000) {
      return { kind: 'verdict', phase: 'Failed', metadata: { 'job-name': metric.name } };
    }
    return {
      kind: 'running',
      resumeAt: new Date(now.getTime() + 10_000),
      metadata: { 'job-name': metric.name },
    };
  }

  async measure(metric: Metric, ctx: { now(): Date }) {
    this.started.set(metric.name, ctx.now());
    return this.poll(metric, ctx.now());
  }

  async resume(metric: Metric, _m: unknown, ctx: { now(): Date }) {
    return this.poll(metric, ctx.now());
  }

  async terminate(metric: Metric) {
    this.terminated.push(metric.name);
  }
}

(haveFixture ? describe : describe.skip)('Argo fixture analysis-run-failfast.yaml', () => {
  const metrics = haveFixture ? readFixture(readFileSync(FIXTURE, 'utf8')) : [];

  test('the fixture has the two job metrics', () => {
    expect(metrics.map((m) => m.name)).toEqual(['sleep-infinity', 'fail-after-30']);
    expect(metrics[0]?.command).toContain('365d');
    expect(metrics[1]?.command).toContain('exit 1');
  });

  test('fails fast: Failed when fail-after-30 fails, and sleep-infinity is stopped', async () => {
    const spec: AnalysisRunSpec = {
      metrics: metrics.map((m) => jobMetric(m.name)),
    };
    const jobs = new FakeJobs(new Map(metrics.map((m) => [m.name, m.command])));
    const clock = new FakeClock('2026-11-21T10:00:00Z');
    const reports: MeasurementReport[] = [];
    const status = await runToCompletion({
      spec,
      providers: new Map([['job', jobs]]),
      clock,
      deadline: new Date('2026-11-21T11:00:00Z'), // a safety net: fail fast must end it long before
      onMeasurement: (r) => reports.push(r),
    });
    expect(status.phase).toBe('Failed');
    expect(status.completedAt).toBe('2026-11-21T10:00:30Z');
    expect(status.message).toBe(
      'Metric "fail-after-30" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(jobs.terminated).toEqual(['sleep-infinity']);
    expect(status.metricResults).toEqual([
      expect.objectContaining({
        name: 'sleep-infinity',
        phase: 'Successful',
        measurements: [expect.objectContaining({ phase: 'Successful', message: 'Metric Terminated' })],
      }),
      expect.objectContaining({ name: 'fail-after-30', phase: 'Failed', failed: 1 }),
    ]);
    expect(status.runSummary).toEqual({ count: 2, successful: 1, failed: 1 });
    expect(reports.at(-1)?.measurement.message).toBe('Metric Terminated');
  });
});
