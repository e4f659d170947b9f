// `kubectl get ... --watch -o json` kept running beside a scenario: every version of the objects it
// printed, with when it arrived. Polling sees a state now and then; a watch sees each write, so a
// scenario can assert on the order of changes (testkit's resourceVersions are one global counter
// across kinds) and on what never happened between two polls.
import type { Proc } from '@ramp/testkit';
import { KUBECTL } from './paths';
import { waitFor } from './polling';
import { startProc } from './processes';

export interface Seen<T> {
  /** When the watch printed it (epoch ms). */
  at: number;
  /** Its metadata.resourceVersion, a number in testkit: the order of every write, whatever the kind. */
  rv: number;
  object: T;
}

export class ObjectWatch<T> {
  private readonly versions: Seen<T>[] = [];
  private buffer = '';

  private constructor(
    readonly what: string,
    private readonly proc: Proc,
  ) {
    proc.child.stdout?.on('data', (chunk: string) => this.take(chunk));
  }

  /** Starts `kubectl get ARGS --watch -o json` (e.g. `['httproute', 'web']`, `['rs', '-l', 'app=web']`). */
  static start<T>(kubeconfig: string, args: string[]): ObjectWatch<T> {
    const proc = startProc(`kubectl get ${args.join(' ')} -w`, KUBECTL, [
      '--kubeconfig',
      kubeconfig,
      'get',
      ...args,
      '--watch',
      '-o',
      'json',
    ]);
    return new ObjectWatch<T>(args.join(' '), proc);
  }

  /** Resolves once the watch has printed the objects as they are now (at least one), bounded. */
  async ready(timeoutMs = 15_000): Promise<void> {
    await waitFor(`the watch of ${this.what} to list the objects`, () => this.versions.length > 0, timeoutMs);
  }

  /** Everything seen so far, in arrival order. */
  seen(): readonly Seen<T>[] {
    return this.versions;
  }

  /** The first version seen (waiting for it when none has yet) that satisfies `predicate`, bounded. */
  first(what: string, predicate: (object: T, seen: Seen<T>) => boolean, timeoutMs: number): Promise<Seen<T>> {
    return waitFor(
      `${this.what}: ${what}`,
      () => {
        if (this.proc.hasExited()) throw new Error(`the watch exited: ${this.proc.tail(5)}`);
        return this.versions.find((s) => predicate(s.object, s));
      },
      timeoutMs,
      50,
    );
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }

  /** kubectl prints each object indented, closing with a `}` alone on its line. */
  private take(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n}\n'); end >= 0; end = this.buffer.indexOf('\n}\n')) {
      const text = this.buffer.slice(0, end + 2);
      this.buffer = this.buffer.slice(end + 3);
      const object = JSON.parse(text) as T & { metadata?: { resourceVersion?: string } };
      this.versions.push({ at: Date.now(), rv: Number(object.metadata?.resourceVersion), object });
    }
  }
}
