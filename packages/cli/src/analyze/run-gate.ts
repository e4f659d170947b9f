// Runs the prepared analysis to its end on the injected clock: until it completes, --duration passes
// (terminate: the phase so far), the signal aborts (Ctrl-C: the same), or --timeout passes (give up:
// Error). Reports every step's measurements with the status they led to.
import { type EngineProviders, type MeasurementReport, runToCompletion } from '@ramp/analysis';
import type { AnalysisPhase, AnalysisRunStatus, MetricResult } from '@ramp/api';
import type { Clock } from '@ramp/kube';
import type { FlagDuration } from './options';
import type { PreparedRun } from './prepare-run';
import { limitTime } from './time-limit';

/** A measurement with its metric's counters right after it (for "failed 2/4" as it was then). */
export interface MeasurementRecord extends MeasurementReport {
  counts?: Omit<MetricResult, 'measurements'>;
}

export type StopCause = 'duration' | 'interrupt' | 'timeout';

export interface GateRunInput {
  prepared: PreparedRun;
  providers: EngineProviders;
  clock: Clock;
  signal?: AbortSignal;
  duration?: FlagDuration;
  timeout?: FlagDuration;
  /** After each step that measured something: its measurements, with the counters after them. */
  onMeasurements?: (records: MeasurementRecord[]) => void;
}

export interface GateOutcome {
  /** The gate's verdict: the run's phase, or Error when --timeout passed. */
  phase: AnalysisPhase;
  /** Why: the run's message (Argo's words), or what stopped it. */
  reason: string;
  stoppedBy?: StopCause;
  status: AnalysisRunStatus;
  /** Every measurement taken, in order (the status keeps only the newest per metric). */
  measurements: MeasurementRecord[];
  /** The metrics' phases just before the run was stopped (to tell which had not completed). */
  phasesBeforeStop?: Map<string, AnalysisPhase>;
  startedAt: Date;
  finishedAt: Date;
}

const notCompleted = (status: AnalysisRunStatus | undefined): string[] =>
  (status?.metricResults ?? [])
    .filter((r) => r.phase === 'Running' || r.phase === 'Pending')
    .map((r) => r.name);

function withCounts(report: MeasurementReport, status: AnalysisRunStatus): MeasurementRecord {
  const result = status.metricResults?.find((r) => r.name === report.metric);
  if (!result) return report;
  const { measurements: _, ...counts } = result;
  return { ...report, counts };
}

function describeStop(cause: StopCause, input: GateRunInput, runMessage: string | undefined): string {
  const message = runMessage ?? '';
  switch (cause) {
    case 'duration':
      return message === 'Run Terminated' || message === ''
        ? `stopped after --duration ${input.duration?.text}, as asked (Run Terminated)`
        : message;
    case 'interrupt':
      return `interrupted${message ? `: ${message}` : ''}`;
    case 'timeout':
      return `gave up: the analysis did not complete within --timeout ${input.timeout?.text}`;
  }
}

export async function runGate(input: GateRunInput): Promise<GateOutcome> {
  const startedAt = new Date(input.clock.now());
  const deadline = input.duration ? new Date(startedAt.getTime() + input.duration.ms) : undefined;
  const timeUp = new AbortController();
  const limit = input.timeout
    ? limitTime(input.clock, new Date(startedAt.getTime() + input.timeout.ms), () => timeUp.abort())
    : undefined;
  const signal = input.signal ? AbortSignal.any([input.signal, timeUp.signal]) : timeUp.signal;
  const measurements: MeasurementRecord[] = [];
  let pending: MeasurementReport[] = [];
  let live: AnalysisRunStatus | undefined;
  let stopped = false;

  let status: AnalysisRunStatus;
  try {
    status = await runToCompletion({
      spec: input.prepared.spec,
      args: input.prepared.args,
      providers: input.providers,
      clock: limit?.clock ?? input.clock,
      ...(deadline ? { deadline } : {}),
      signal,
      onMeasurement: (report) => pending.push(report),
      onStatus: (s) => {
        const now = input.clock.now();
        if (signal.aborted || (deadline && now >= deadline.getTime())) stopped = true;
        if (!stopped) live = s;
        if (pending.length === 0) return;
        const records = pending.map((report) => withCounts(report, s));
        pending = [];
        measurements.push(...records);
        input.onMeasurements?.(records);
      },
    });
  } finally {
    limit?.stop();
  }

  const finishedAt = new Date(input.clock.now());
  const cause: StopCause | undefined = timeUp.signal.aborted
    ? 'timeout'
    : input.signal?.aborted
      ? 'interrupt'
      : stopped && deadline && finishedAt >= deadline
        ? 'duration'
        : undefined;
  const phasesBeforeStop = cause
    ? new Map((live?.metricResults ?? []).map((r) => [r.name, r.phase]))
    : undefined;
  let phase: AnalysisPhase = status.phase ?? 'Error';
  let reason = status.message ?? '';
  if (cause === 'timeout') {
    phase = 'Error';
    const running = notCompleted(live);
    reason = `${describeStop(cause, input, status.message)}${running.length ? ` (still running: ${running.join(', ')})` : ''}`;
  } else if (cause) {
    reason = describeStop(cause, input, status.message);
  } else if (reason === '') {
    reason = `every metric completed ${phase}`;
  }
  return {
    phase,
    reason,
    ...(cause ? { stoppedBy: cause } : {}),
    status,
    measurements,
    ...(phasesBeforeStop ? { phasesBeforeStop } : {}),
    startedAt,
    finishedAt,
  };
}
