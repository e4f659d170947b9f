// The verbs that drive rollouts on a cluster (Argo's `kubectl argo rollouts` verbs), plus version and
// completion. Registered by program.ts; completion is last so it sees every verb.
import type { Command } from 'commander';
import type { ProgramDeps } from '../program';
import { registerCompletion } from './completion';
import { registerGet } from './get';
import { registerList } from './list';
import { registerRolloutActions } from './rollout-actions';
import { registerStatus } from './status';
import { registerTemplateVerbs } from './template-verbs';
import { registerTerminate } from './terminate';
import { registerVersion } from './version';

export function registerKubectlVerbs(program: Command, deps: ProgramDeps): void {
  registerGet(program, deps);
  registerList(program, deps);
  registerStatus(program, deps);
  registerRolloutActions(program, deps);
  registerTemplateVerbs(program, deps);
  registerTerminate(program, deps);
  registerVersion(program, deps);
  registerCompletion(program, deps);
}
