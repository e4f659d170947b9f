// The AnalysisRun controller: a work queue over the run cache; each reconcile drives the analysis
// engine one step (measure what is due, judge, assess) and writes the run's status at most once.
// Changes to a run, or to a Job it owns, enqueue the run; the engine's wake-up time requeues it.
import { defaultProviders, type EngineProvider } from '@ramp/analysis';
import type { AnalysisRun } from '@ramp/api';
import { type Clock, realClock } from '../kube/clock';
import type { KubeClient } from '../kube/kube-client';
import { errorFields, type Log, silentLog } from '../kube/log';
import { CONTROLLER_UID_INDEX } from '../kube/object-cache';
import { RESOURCES } from '../kube/resources';
import type { Job, Secret } from '../model/kube-objects';
import type { ControllerCaches } from '../runtime/controller-caches';
import type { EventRecorder } from '../runtime/event-recorder';
import { mergePatchDiff } from '../runtime/merge-patch';
import { WorkQueue } from '../runtime/work-queue';
import { type JobAccess, jobProvider, METRIC_NAME_LABEL } from './job-provider';
import { reconcileRun } from './reconcile-run';
import { clusterArgResolver } from './secret-args';

export interface AnalysisRunControllerOptions {
  client: KubeClient;
  caches: ControllerCaches;
  events?: EventRecorder;
  workers?: number;
  clock?: Clock;
  log?: Log;
  /** Environment for provider defaults (RAMP_PROMETHEUS_ADDRESS). */
  env?: NodeJS.ProcessEnv;
}

const keyOf = (run: AnalysisRun) => `${run.metadata.namespace ?? 'default'}/${run.metadata.name}`;

export class AnalysisRunController {
  readonly queue: WorkQueue;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly providers: ReadonlyMap<string, EngineProvider>;

  constructor(private readonly options: AnalysisRunControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
    this.providers = defaultProviders({ env: options.env ?? process.env });
    this.queue = new WorkQueue({
      workers: options.workers ?? 10,
      clock: this.clock,
      process: (key) => this.reconcile(key),
      onError: (key, err, failures) => {
        const [namespace, analysisrun] = key.split('/');
        this.log.warn(
          { namespace, analysisrun, failures, ...errorFields(err) },
          'analysis run reconcile failed; will retry',
        );
      },
    });
    this.route();
  }

  start(): void {
    this.queue.start();
  }

  stop(timeoutMs = 10_000): Promise<boolean> {
    return this.queue.shutdown(timeoutMs);
  }

  private route(): void {
    const { caches } = this.options;
    caches.analysisRuns.addHandlers({
      onAdd: (run) => this.queue.add(keyOf(run)),
      onUpdate: (_, run) => this.queue.add(keyOf(run)),
      onDelete: (run) => this.queue.forget(keyOf(run)),
    });
    const ownerRun = (job: Job) => {
      const owner = job.metadata.ownerReferences?.find((o) => o.kind === 'AnalysisRun' && o.controller);
      if (owner) this.queue.add(`${job.metadata.namespace ?? 'default'}/${owner.name}`);
    };
    caches.jobs?.addHandlers({ onAdd: ownerRun, onUpdate: (_, job) => ownerRun(job), onDelete: ownerRun });
  }

  private jobAccess(): JobAccess {
    const { client, caches } = this.options;
    return {
      get: (namespace, name) => caches.jobs?.get(namespace, name),
      list: (namespace, uid, metric) =>
        (caches.jobs?.byIndex(CONTROLLER_UID_INDEX, uid) ?? []).filter(
          (j) => j.metadata.namespace === namespace && j.metadata.labels?.[METRIC_NAME_LABEL] === metric,
        ),
      create: async (job) => {
        await client.create(RESOURCES.jobs, job, job.metadata.namespace);
      },
      delete: (namespace, name) =>
        client.delete(RESOURCES.jobs, name, { namespace, propagationPolicy: 'Background' }),
    };
  }

  async reconcile(key: string): Promise<void> {
    const [namespace = 'default', name = ''] = key.split('/');
    const run = this.options.caches.analysisRuns.get(namespace, name);
    if (!run || run.metadata.deletionTimestamp) return;
    const log = this.log.child({ namespace, analysisrun: name });
    const providers = new Map(this.providers);
    providers.set('job', jobProvider(run, this.jobAccess()));
    const readSecret = (ns: string, secret: string) =>
      this.options.client.get<Secret>(RESOURCES.secrets, secret, ns);
    const now = new Date(this.clock.now());
    const decision = await reconcileRun(run, now, providers, clusterArgResolver(run, readSecret));
    const { client } = this.options;
    if (decision.delete) {
      await client.delete(RESOURCES.analysisRuns, name, { namespace });
      log.info({}, 'deleted after its ttlStrategy');
      return;
    }
    if (decision.status) {
      const diff = mergePatchDiff(
        run.status as Record<string, unknown> | undefined,
        decision.status as Record<string, unknown>,
      );
      if (diff) {
        await client.patch(
          RESOURCES.analysisRuns,
          name,
          { metadata: { resourceVersion: run.metadata.resourceVersion }, status: diff },
          { namespace, type: 'merge' },
        );
        log.info({ phase: decision.status.phase }, 'status written');
      }
    }
    for (const event of decision.events) {
      await this.options.events?.record(
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun', metadata: run.metadata },
        event,
      );
    }
    if (decision.wakeAt) this.queue.addAfter(key, decision.wakeAt);
  }
}
