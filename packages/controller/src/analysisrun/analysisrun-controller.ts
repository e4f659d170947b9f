// The AnalysisRun controller: a work queue over the run cache; each reconcile drives the analysis
// engine one step (measure what is due, judge, assess) and writes the run's status at most once.
// Changes to a run, or to a Job it owns, enqueue the run; the engine's wake-up time requeues it.
import { defaultProviders, type EngineProvider } from '@ramp/analysis';
import type { AnalysisRun } from '@ramp/api';
import {
  type Clock,
  errorFields,
  type KubeClient,
  type Log,
  mergePatchDiff,
  RESOURCES,
  realClock,
  silentLog,
  WorkQueue,
} from '@ramp/kube';
import type { Job, Secret } from '../model/kube-objects';
import { REVISION_ANNOTATION } from '../model/names';
import type { ControllerCaches } from '../runtime/controller-caches';
import type { EventRecorder } from '../runtime/event-recorder';
import { type JobAccess, jobProvider, withFinishedJobsDue } from './job-provider';
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

/** The revision of the Rollout a run belongs to, as a log field, when known. */
function revisionOf(run: AnalysisRun | undefined): { revision?: string } {
  const revision = run?.metadata.annotations?.[REVISION_ANNOTATION];
  return revision ? { revision } : {};
}

const keyOf = (run: AnalysisRun) => `${run.metadata.namespace ?? 'default'}/${run.metadata.name}`;

export class AnalysisRunController {
  readonly queue: WorkQueue;
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly providers: ReadonlyMap<string, EngineProvider>;
  /** Per run, the resourceVersion its last status write replaced (until the cache moves past it). */
  private readonly superseded = new Map<string, string>();

  constructor(private readonly options: AnalysisRunControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
    this.providers = defaultProviders({ env: options.env ?? process.env });
    this.queue = new WorkQueue({
      workers: options.workers ?? 10,
      clock: this.clock,
      process: (key) => this.reconcile(key),
      onError: (key, err, failures) => {
        const [namespace = 'default', analysisrun = ''] = key.split('/');
        const revision = revisionOf(options.caches.analysisRuns.get(namespace, analysisrun));
        this.log.warn(
          { namespace, analysisrun, ...revision, failures, ...errorFields(err) },
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
      onDelete: (run) => {
        this.queue.forget(keyOf(run));
        this.superseded.delete(keyOf(run));
      },
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
    // The cache still holds the version our last status write replaced: measuring on it would take
    // the same measurement again. The watch event of that write brings the run back.
    if (this.superseded.get(key) === run.metadata.resourceVersion) return;
    this.superseded.delete(key);
    const log = this.log.child({ namespace, analysisrun: name, ...revisionOf(run) });
    const providers = new Map(this.providers);
    const jobs = this.jobAccess();
    providers.set('job', jobProvider(run, jobs));
    const readSecret = (ns: string, secret: string) =>
      this.options.client.get<Secret>(RESOURCES.secrets, secret, ns);
    const now = new Date(this.clock.now());
    const decision = await reconcileRun(
      withFinishedJobsDue(run, jobs.get),
      now,
      providers,
      clusterArgResolver(run, readSecret),
    );
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
        if (run.metadata.resourceVersion) this.superseded.set(key, run.metadata.resourceVersion);
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
