// The controller under test: the real bin/ramp-controller, as its own process (group), against the
// run's testkit; SIGKILLed and started again when the run says, each instance's output kept for the
// report. An instance that exits by itself (not killed) is a crash: recorded, and started again.
import path from 'node:path';
import { type Proc, startProc } from '@ramp/testkit';

/** The repository (this file is in packages/chaos/src or packages/chaos/dist). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CONTROLLER = path.join(REPO_ROOT, 'bin', 'ramp-controller');

export class ControllerUnderTest {
  /** Every instance started, in order. */
  readonly instances: Proc[] = [];
  kills = 0;
  /** Instances that exited by themselves, with how. */
  readonly crashes: string[] = [];
  private current: Proc | undefined;

  constructor(private readonly kubeconfig: string) {}

  running(): boolean {
    return this.current !== undefined && !this.current.hasExited();
  }

  start(): void {
    if (this.running()) return;
    this.current = startProc(
      `ramp-controller #${this.instances.length + 1}`,
      CONTROLLER,
      [
        '--kubeconfig',
        this.kubeconfig,
        '--log-format',
        'text',
        '--leader-elect=false',
        '--metrics-port',
        '0',
        '--health-port',
        '0',
      ],
      { cwd: REPO_ROOT },
    );
    this.instances.push(this.current);
  }

  async kill(): Promise<void> {
    if (!this.running()) return;
    this.kills += 1;
    const proc = this.current!;
    this.current = undefined;
    await proc.kill();
  }

  /** True when the current instance exited by itself since the last call (recorded as a crash). */
  crashed(): boolean {
    const proc = this.current;
    if (!proc?.hasExited()) return false;
    this.current = undefined;
    this.crashes.push(`${proc.name} exited (${proc.exitStatus()}):\n${proc.tail(15)}`);
    return true;
  }

  async stop(): Promise<void> {
    this.current = undefined;
    for (const proc of this.instances) await proc.stop();
  }

  /** The last lines of the last `instances` instances, oldest first. */
  logTail(lines = 40, instances = 2): string {
    return this.instances
      .slice(-instances)
      .map(
        (p) =>
          `--- ${p.name} (pid ${p.pid}${p.hasExited() ? `, ${p.exitStatus()}` : ''}) ---\n${p.tail(lines)}`,
      )
      .join('\n');
  }
}
