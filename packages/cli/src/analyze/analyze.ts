// The analyze gate from flags to exit code: read and check the template, prepare the run, run it on
// the clock given, report (text or JSON, and JUnit), and turn the verdict into the exit code.
import { writeFileSync } from 'node:fs';
import type { EngineProviders } from '@ramp/analysis';
import type { Clock } from '@ramp/kube';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import { readSources } from '../lint/read-files';
import { EXIT, exitCodeOf, inputError } from './exit-codes';
import { formatJson } from './format-json';
import { headerText, measurementLines, summaryText, type TextStyle } from './format-text';
import { formatJunit } from './junit';
import { findTemplates, resolveTemplateChain, selectTemplate, templateLabel } from './load-templates';
import { parseAnalyzeFlags, type RawAnalyzeFlags } from './options';
import { prepareRun } from './prepare-run';
import { runGate } from './run-gate';
import { checkTemplates } from './validate-templates';

export interface AnalyzeEnv {
  io: CliIo;
  clock: Clock;
  providers: EngineProviders;
  signal: AbortSignal;
  color: boolean;
}

/** Runs the gate; returns the exit code. Usage and input errors are thrown as CliError (exit 4). */
export async function runAnalyze(flags: RawAnalyzeFlags, env: AnalyzeEnv): Promise<number> {
  const { io } = env;
  const options = parseAnalyzeFlags(flags);
  const templates = findTemplates(readSources(options.files));
  const root = selectTemplate(templates, options.template);
  const chain = resolveTemplateChain(root, templates);

  const problems = checkTemplates(chain);
  for (const p of problems) io.err(`${p.text}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) {
    throw inputError(
      `${templateLabel(root)} is invalid (${errors} error${errors === 1 ? '' : 's'} above); fix ${errors === 1 ? 'it' : 'them'} and run again`,
    );
  }

  const prepared = await prepareRun(chain, options, env.providers);
  for (const w of prepared.warnings) io.err(`warning: ${w}\n`);
  const { redactor, metrics } = prepared;
  // With -o json, stdout holds only the JSON: the progress goes to stderr, without colour.
  const json = options.output === 'json';
  const progress = json ? (t: string) => io.err(t) : (t: string) => io.out(t);
  const style: TextStyle = { color: env.color && !json, redactor };

  progress(headerText(templateLabel(root), metrics, options.duration?.text));
  const outcome = await runGate({
    prepared,
    providers: env.providers,
    clock: env.clock,
    signal: env.signal,
    ...(options.duration ? { duration: options.duration } : {}),
    ...(options.timeout ? { timeout: options.timeout } : {}),
    onMeasurements: (records) => progress(measurementLines(records, metrics, style)),
  });

  if (json) io.out(formatJson(outcome, { templates: chain.map(templateLabel), redactor }));
  else io.out(summaryText(outcome, style));

  if (options.junit) {
    const xml = formatJunit(outcome, { suite: templateLabel(root), metrics, redactor });
    try {
      writeFileSync(options.junit, xml);
    } catch (err) {
      throw new CliError(
        `cannot write the JUnit report to ${options.junit}: ${(err as Error).message}`,
        EXIT.error,
      );
    }
  }
  return exitCodeOf(outcome.phase);
}
