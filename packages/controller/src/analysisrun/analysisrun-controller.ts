// The AnalysisRun controller: a work queue over the run cache; each reconcile decides on the cached
// run (decideRun: the analysis engine one step, measuring what is due, judging, assessing) and
// applies the RunPlan (applyRunPlan: at most one status write, or the run's deletion, then Events).
// Changes to a run, or to a Job it owns, enqueue the run; the plan's wake-up time requeues it.
import type { EngineProviders } from '@ramp/analysis';
import type { AnalysisRun } from '@ramp/api';
import {
  type Clock,
  errorFields,
  type KubeClient,
  type Log,
  RESOURCES,
  realClock,
  silentLog,
  WorkQueue,
} from '@ramp/kube';
import type { Job, Secret } from '../model/kube-objects';
import { REVISION_ANNOTATION } from '../model/names';
import type { ControllerCaches } from '../runtime/controller-caches';
import type { EventRecorder } from '../runtime/event-recorder';
import { OwnWrites } from '../runtime/own-writes';
import { applyRunPlan } from './apply-run-plan';
import { decideRun, type RunDeps } from './decide-run';
import { type JobAccess, jobProvider, withFinishedJobsDue } from './job-provider';
import { clusterArgResolver } from './secret-args';

export interface AnalysisRunControllerOptions {
  client: KubeClient;
  caches: ControllerCaches;
  events?: EventRecorder;
  workers?: number;
  clock?: Clock;
  log?: Log;
  /**
   * The metric providers by type (prometheus, web), built where the process reads its environment
   * (main.ts, createController); the controller adds each run's Job provider.
   */
  providers: EngineProviders;
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
  /** The version of each run its last status write replaced: no deciding on it (own-writes.ts). */
  private readonly ownWrites: OwnWrites;

  constructor(private readonly options: AnalysisRunControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
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
    this.ownWrites = new OwnWrites({ clock: this.clock, recheck: (key, at) => this.queue.addAfter(key, at) });
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
        this.ownWrites.forget(keyOf(run));
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
    // the same measurement again.
    if (this.ownWrites.cacheBehind(key, run.metadata.resourceVersion)) return;
    const jobs = this.jobAccess();
    const now = new Date(this.clock.now());
    const plan = await decideRun(withFinishedJobsDue(run, jobs.get), now, this.runDeps(run, jobs));
    const log = this.log.child({ namespace, analysisrun: name, ...revisionOf(run) });
    const { client, events } = this.options;
    const { replaced } = await applyRunPlan({ client, events, log }, run, plan);
    this.ownWrites.wrote(key, replaced);
    if (plan.wakeAt) this.queue.addAfter(key, plan.wakeAt);
  }

  /** What a decision on `run` measures through: the providers with the run's Job provider; its args. */
  private runDeps(run: AnalysisRun, jobs: JobAccess): RunDeps {
    const providers = new Map(this.options.providers);
    providers.set('job', jobProvider(run, jobs));
    const readSecret = (ns: string, secret: string) =>
      this.options.client.get<Secret>(RESOURCES.secrets, secret, ns);
    return { providers, argResolver: clusterArgResolver(run, readSecret) };
  }
}
