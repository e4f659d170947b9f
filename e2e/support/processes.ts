// Long-running processes, each in its own process group (testkit's Proc), started in the repository.
import { type Proc, startProc as startInGroup } from '@ramp/testkit';
import { ROOT } from './paths';

export { installExitHook, liveGroups, Proc } from '@ramp/testkit';

/** Starts a long-running process in its own process group, in the repository, output captured. */
export function startProc(name: string, file: string, args: string[], env?: NodeJS.ProcessEnv): Proc {
  return startInGroup(name, file, args, { cwd: ROOT, ...(env ? { env } : {}) });
}
