// The JUnit XML report (--junit FILE): a testsuite for the run, a testcase per metric. A metric that
// Failed or was Inconclusive gets a <failure>, one in Error (or still running when --timeout passed)
// an <error>, each with Argo's message; its measurements are the testcase's <system-out>.
import { isCompleted, limitBreach, metricAssessedMessage, type Redactor } from '@ramp/analysis';
import type { Metric, MetricResult } from '@ramp/api';
import { exitCodeOf } from './exit-codes';
import { measurementLines } from './format-text';
import type { GateOutcome, MeasurementRecord } from './run-gate';

/** Whether XML 1.0 allows this character (tab, newlines, and the printable planes). */
const xmlChar = (cp: number) =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  cp >= 0x10000;

/** Text safe inside an XML attribute or element: escaped, characters XML 1.0 forbids replaced. */
export function xmlText(text: string): string {
  return Array.from(text, (ch) => (xmlChar(ch.codePointAt(0) ?? 0) ? ch : '\uFFFD'))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

type Problem = { element: 'failure' | 'error'; type: string; message: string } | undefined;

function problemOf(metric: Metric, result: MetricResult | undefined, outcome: GateOutcome): Problem {
  if (result?.dryRun) return undefined;
  const before = outcome.phasesBeforeStop?.get(metric.name);
  if (outcome.stoppedBy === 'timeout' && !isCompleted(before)) {
    return { element: 'error', type: 'Timeout', message: outcome.reason };
  }
  if (!result) return undefined;
  const phase = result.phase;
  if (phase !== 'Failed' && phase !== 'Inconclusive' && phase !== 'Error') return undefined;
  const breach = limitBreach(metric, result);
  const message = breach
    ? metricAssessedMessage(metric.name, phase, breach.reason, result.message)
    : `Metric "${metric.name}" completed ${phase}${result.message ? `: ${result.message}` : ''}`;
  return { element: phase === 'Error' ? 'error' : 'failure', type: phase, message };
}

function timeOf(reports: readonly MeasurementRecord[]): number {
  const first = reports[0]?.measurement.startedAt;
  const last = reports[reports.length - 1]?.measurement.finishedAt;
  return first && last ? Date.parse(last) - Date.parse(first) : 0;
}

export interface JunitContext {
  /** The suite's name: `Kind/name` of the template run. */
  suite: string;
  metrics: readonly Metric[];
  redactor: Redactor;
}

export function formatJunit(outcome: GateOutcome, context: JunitContext): string {
  const r = (text: string) => xmlText(context.redactor.text(text));
  const style = { color: false, redactor: context.redactor };
  let failures = 0;
  let errors = 0;
  const cases = context.metrics.map((metric) => {
    const result = outcome.status.metricResults?.find((x) => x.name === metric.name);
    const reports = outcome.measurements.filter((m) => m.metric === metric.name);
    const problem = problemOf(metric, result, outcome);
    if (problem?.element === 'failure') failures++;
    if (problem?.element === 'error') errors++;
    const name = `${metric.name}${result?.dryRun ? ' (dry-run)' : ''}`;
    const out = measurementLines(reports, context.metrics, style);
    return [
      `    <testcase classname="${r(context.suite)}" name="${r(name)}" time="${seconds(timeOf(reports))}">\n`,
      problem
        ? `      <${problem.element} type="${r(problem.type)}" message="${r(problem.message)}">${r(problem.message)}</${problem.element}>\n`
        : '',
      `      <system-out>${r(out)}</system-out>\n`,
      '    </testcase>\n',
    ].join('');
  });
  const totals = `tests="${context.metrics.length}" failures="${failures}" errors="${errors}"`;
  const time = seconds(outcome.finishedAt.getTime() - outcome.startedAt.getTime());
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<testsuites name="kubectl ramp analyze" ${totals} time="${time}">\n`,
    `  <testsuite name="${r(context.suite)}" ${totals} skipped="0" time="${time}" timestamp="${outcome.startedAt.toISOString()}">\n`,
    '    <properties>\n',
    `      <property name="phase" value="${r(outcome.phase)}"/>\n`,
    `      <property name="exitCode" value="${exitCodeOf(outcome.phase)}"/>\n`,
    `      <property name="message" value="${r(outcome.reason)}"/>\n`,
    '    </properties>\n',
    ...cases,
    '  </testsuite>\n',
    '</testsuites>\n',
  ].join('');
}
