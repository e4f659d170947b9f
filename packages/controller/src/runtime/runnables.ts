// The controller's parts as named runnables, for its RunnableGroup: the metrics and health servers, the
// API connections, the caches, and the workers (each controller's work queue, the periodic resync).
import { errorFields, type KubeClient, silentLog } from '@ramp/kube';
import {
  type OperationsServers,
  type OperationsServersOptions,
  startOperationsServers,
} from '../operations/http-servers';
import type { ControllerCaches } from './controller-caches';
import type { PeriodicResync } from './periodic-resync';
import type { Runnable } from './runnable-group';
import type { Worker } from './workers';

/** /metrics, /healthz and /readyz: listening is their start; they close last, after everything else stopped. */
export class ServersRunnable implements Runnable {
  readonly name = 'metrics and health servers';
  private opened: Promise<OperationsServers> | undefined;

  constructor(private readonly options: OperationsServersOptions) {}

  /** The servers once they listen (undefined before start); rejects when they cannot. */
  get listening(): Promise<OperationsServers | undefined> {
    return this.opened ?? Promise.resolve(undefined);
  }

  async start(): Promise<void> {
    this.opened ??= startOperationsServers(this.options);
    await this.opened;
  }

  async stop(): Promise<void> {
    const servers = await this.opened?.catch((err: unknown) => {
      // Whoever started them was told (start() and `listening` reject with it).
      (this.options.log ?? silentLog).debug(errorFields(err), 'the servers never listened: nothing to close');
      return undefined;
    });
    await servers?.close();
  }
}

/** The clients' keep-alive connections, closed once nothing uses them any more. */
export function connectionsRunnable(clients: readonly (KubeClient | undefined)[]): Runnable {
  return {
    name: 'API connections',
    start() {},
    stop() {
      for (const client of clients) client?.close();
    },
  };
}

/** Every informer; stopping them also rejects whoever waits for them to sync. */
export function cachesRunnable(caches: ControllerCaches): Runnable {
  return { name: 'caches', start: () => caches.start(), stop: () => caches.stop() };
}

/** A controller's work queue and its workers. */
export function queueWorker(
  name: string,
  controller: { start(): void; stop(timeoutMs: number): Promise<boolean> },
): Worker {
  return {
    name,
    start: () => controller.start(),
    stop: (timeoutMs) => controller.stop(timeoutMs),
    crash() {
      // A queue's shutdown never rejects; a crash does not wait for the reconciles in flight.
      void controller.stop(0);
    },
  };
}

/** The one timer that queues every cached Rollout and AnalysisRun again (--rollout-resync). */
export function resyncWorker(resync: PeriodicResync): Worker {
  return { name: 'periodic resync', start: () => resync.start(), stop: () => resync.stop() };
}
