// `version [--short]`: the plugin's version, the API it speaks, and where it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ProgramDeps } from '../program';

/** The version in packages/cli/package.json (two folders up from both src/commands and dist/commands). */
export function pluginVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return `v${pkg.version ?? '0.0.0'}`;
  } catch {
    return 'v0.0.0-unknown';
  }
}

export function registerVersion(program: Command, deps: ProgramDeps): void {
  program
    .command('version')
    .description('Print the version of kubectl-ramp')
    .option('--short', 'the version only')
    .action((opts: { short?: boolean }) => {
      const version = pluginVersion();
      if (opts.short) {
        deps.io.out(`${version}\n`);
        return;
      }
      deps.io.out(
        `kubectl-ramp: ${version}\n` +
          '  API: argoproj.io/v1alpha1 (Argo Rollouts)\n' +
          `  Node: ${process.version}\n` +
          `  Platform: ${process.platform}/${process.arch}\n`,
      );
    });
}
