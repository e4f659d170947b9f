// `kubectl ramp lint -f PATH [-f PATH ...] [-o text|json]`
import type { Command } from 'commander';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import { formatLintJson, formatLintText } from '../lint/format';
import { type ConditionChecker, lintSources } from '../lint/lint';
import { readSources } from '../lint/read-files';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerLint(program: Command, io: CliIo, checkCondition?: ConditionChecker): void {
  program
    .command('lint')
    .description(
      'Check Rollout and AnalysisTemplate YAML: every problem with its file, line, field path and fix',
    )
    .option('-f, --filename <path>', 'a file or folder of manifests (repeatable)', collect, [])
    .option('-R, --recursive', 'also read the subfolders of the folders given', false)
    .option('-o, --output <format>', 'text or json', 'text')
    .action((opts: { filename: string[]; output: string; recursive: boolean }) => {
      if (opts.filename.length === 0)
        throw new CliError('lint needs at least one -f PATH (a file or a folder)');
      if (opts.output !== 'text' && opts.output !== 'json') {
        throw new CliError(`-o ${opts.output} is not an output format; use text or json`);
      }
      const report = lintSources(
        readSources(opts.filename, opts.recursive),
        checkCondition ? { checkCondition } : {},
      );
      io.out(opts.output === 'json' ? formatLintJson(report) : formatLintText(report));
      io.setExitCode(report.errors > 0 ? 1 : 0);
    });
}
