// The controller's Prometheus metrics, on a Registry of their own: Argo Rollouts' names and labels
// (reconcile histograms and errors, events, per-object gauges, client-go's work-queue and request
// metrics), and process metrics on request. Series are per object (namespace/name) at most, never per
// request or pod; an object's series go when the object leaves the caches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisRun, Rollout } from '@ramp/api';
import {
  type Clock,
  type Informer,
  type RequestRecord,
  realClock,
  type WorkQueue,
  type WorkQueueObserver,
} from '@ramp/kube';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { KubeEvent } from '../model/plan';
import { NotLeaderError } from './leader-election';
import { registerObjectGauges } from './object-metrics';
import { requestLabels } from './request-labels';

/** Argo's reconcile buckets (seconds). */
const RECONCILE_BUCKETS = [0.01, 0.15, 0.25, 0.5, 1];
/** client-go's work-queue buckets: 10 ns to 10 s by powers of ten. */
const QUEUE_BUCKETS = Array.from({ length: 10 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));

export type ObjectKind = 'rollout' | 'analysisrun';
const ID = ['namespace', 'name'] as const;

function controllerVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The caches whose objects have series: the Rollouts and AnalysisRuns this controller manages. */
export interface MeteredCaches {
  rollouts: Informer<Rollout>;
  analysisRuns: Informer<AnalysisRun>;
}

/** What an Event is about, as far as its series go. */
export interface EventObject {
  kind: string;
  metadata: { namespace?: string; name?: string };
}

/** client-go's work-queue counters and histograms, by queue name. */
function queueMetrics(registers: Registry[]) {
  const byQueue = { labelNames: ['name'] as const, registers };
  return {
    adds: new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      ...byQueue,
    }),
    retries: new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      ...byQueue,
    }),
    latency: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      buckets: QUEUE_BUCKETS,
      ...byQueue,
    }),
    work: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      buckets: QUEUE_BUCKETS,
      ...byQueue,
    }),
  };
}

export interface ControllerMetricsOptions {
  clock?: Clock;
  /** Whether this replica leads, for leader_election_master_status (absent: always 1). */
  isLeader?: () => boolean;
  /** The lease name, the label of leader_election_master_status. */
  leaseName?: string;
}

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly clock: Clock;
  private readonly isLeader: () => boolean;
  private readonly reconcile: Record<ObjectKind, Histogram<'namespace' | 'name'>>;
  private readonly reconcileErrors: Record<ObjectKind, Counter<'namespace' | 'name'>>;
  private readonly events: Counter<'namespace' | 'name' | 'type' | 'reason'>;
  private readonly requests: Counter<'kind' | 'namespace' | 'name' | 'verb' | 'status_code'>;
  private readonly queueAdds: Counter<'name'>;
  private readonly queueRetries: Counter<'name'>;
  private readonly queueLatency: Histogram<'name'>;
  private readonly workDuration: Histogram<'name'>;
  private readonly queues = new Map<string, { queue: WorkQueue; started: Map<string, number> }>();
  /** The label sets of per-object counters, to remove them with their object. */
  private readonly eventSeries = new Map<string, Set<string>>();
  private readonly requestSeries = new Map<string, Set<string>>();
  private defaultMetrics = false;
  /** Whether an object is (still) in the caches: series are never made for one that is gone. */
  private exists: (kind: ObjectKind, namespace: string, name: string) => boolean = () => true;

  constructor(options: ControllerMetricsOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.isLeader = options.isLeader ?? (() => true);
    const registers = [this.registry];
    const histogram = (name: string, help: string) =>
      new Histogram({ name, help, labelNames: ID, buckets: RECONCILE_BUCKETS, registers });
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ID, registers });
    this.reconcile = {
      rollout: histogram('rollout_reconcile', 'Rollout reconciliation performance.'),
      analysisrun: histogram('analysis_run_reconcile', 'Analysis Run reconciliation performance.'),
    };
    this.reconcileErrors = {
      rollout: counter('rollout_reconcile_error', 'Error occurring during the rollout'),
      analysisrun: counter('analysis_run_reconcile_error', 'Error occurring during the analysis run'),
    };
    this.events = new Counter({
      name: 'rollout_events_total',
      help: 'Count of rollout events',
      labelNames: [...ID, 'type', 'reason'],
      registers,
    });
    this.requests = new Counter({
      name: 'controller_clientset_k8s_request_total',
      help: 'Number of kubernetes requests executed during application reconciliation.',
      labelNames: ['kind', 'namespace', 'name', 'verb', 'status_code'],
      registers,
    });
    ({
      adds: this.queueAdds,
      retries: this.queueRetries,
      latency: this.queueLatency,
      work: this.workDuration,
    } = queueMetrics(registers));
    this.queueGauges(registers);
    this.processGauges(registers, options.leaseName ?? 'none');
  }

  /** client-go's work-queue gauges, read from the queues when scraped. */
  private queueGauges(registers: Registry[]): void {
    const queueGauge = (name: string, help: string, value: (q: WorkQueue, started: number[]) => number) => {
      const gauge: Gauge<'name'> = new Gauge({
        name,
        help,
        labelNames: ['name'],
        registers,
        collect: () => {
          const now = this.clock.now();
          for (const [queueName, { queue, started }] of this.queues) {
            const ages = [...started.values()].map((t) => (now - t) / 1000);
            gauge.set({ name: queueName }, value(queue, ages));
          }
        },
      });
    };
    queueGauge('workqueue_depth', 'Current depth of workqueue', (q) => q.length);
    queueGauge(
      'workqueue_unfinished_work_seconds',
      'How many seconds of work has been done that is in progress',
      (_, ages) => ages.reduce((a, b) => a + b, 0),
    );
    queueGauge(
      'workqueue_longest_running_processor_seconds',
      'How many seconds has the longest running processor for workqueue been running.',
      (_, ages) => Math.max(0, ...ages),
    );
  }

  /** leader_election_master_status and ramp_controller_info. */
  private processGauges(registers: Registry[], leaseName: string): void {
    const leader: Gauge<'name'> = new Gauge({
      name: 'leader_election_master_status',
      help: 'Whether this replica leads (1) or stands by (0), per lease.',
      labelNames: ['name'],
      registers,
      collect: () => leader.set({ name: leaseName }, this.isLeader() ? 1 : 0),
    });
    new Gauge({
      name: 'ramp_controller_info',
      help: 'The running Ramp controller version.',
      labelNames: ['version'],
      registers,
    }).set({ version: controllerVersion() }, 1);
  }

  /** Adds Node.js process metrics (CPU, memory, event loop lag, GC), once. */
  collectProcessMetrics(): void {
    if (this.defaultMetrics) return;
    this.defaultMetrics = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports the Rollouts and AnalysisRuns of `caches`, and drops an object's series when it goes. */
  attach(caches: MeteredCaches): void {
    this.exists = (kind, namespace, name) =>
      (kind === 'rollout' ? caches.rollouts : caches.analysisRuns).get(namespace, name) !== undefined;
    // Only the leader reports objects (a standby's caches are as full): no double counting across replicas.
    registerObjectGauges(this.registry, () =>
      this.isLeader()
        ? { rollouts: caches.rollouts.list(), analysisRuns: caches.analysisRuns.list() }
        : { rollouts: [], analysisRuns: [] },
    );
    const forget = (kind: ObjectKind) => (obj: { metadata: { namespace?: string; name?: string } }) =>
      this.forget(kind, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    caches.rollouts.addHandlers({ onDelete: forget('rollout') });
    caches.analysisRuns.addHandlers({ onDelete: forget('analysisrun') });
  }

  /**
   * An observer for a work queue named `name` (Argo's "Rollouts", "AnalysisRuns"): adds, retries,
   * latency, work duration, and the reconcile histogram and error counter of the object `kind` while
   * the object is still in the cache (`exists`).
   */
  observeQueue(
    name: string,
    queue: WorkQueue,
    kind: ObjectKind,
    exists: (namespace: string, name: string) => boolean,
  ): WorkQueueObserver {
    const addedAt = new Map<string, number>();
    const started = new Map<string, number>();
    this.queues.set(name, { queue, started });
    const labels = { name };
    const observer: WorkQueueObserver = {
      added: (key) => {
        this.queueAdds.inc(labels);
        if (!addedAt.has(key)) addedAt.set(key, this.clock.now());
      },
      started: (key) => {
        const now = this.clock.now();
        const since = addedAt.get(key);
        addedAt.delete(key);
        if (since !== undefined) this.queueLatency.observe(labels, (now - since) / 1000);
        started.set(key, now);
      },
      finished: (key, err) => {
        const since = started.get(key);
        started.delete(key);
        if (since === undefined) return;
        const seconds = (this.clock.now() - since) / 1000;
        this.workDuration.observe(labels, seconds);
        const [namespace = '', objectName = ''] = key.split('/');
        if (!exists(namespace, objectName)) return;
        const id = { namespace, name: objectName };
        this.reconcile[kind].observe(id, seconds);
        if (err !== undefined && !(err instanceof NotLeaderError)) this.reconcileErrors[kind].inc(id);
      },
      retried: () => this.queueRetries.inc(labels),
    };
    queue.setObserver(observer);
    return observer;
  }

  /** For KubeClient's onRequest: controller_clientset_k8s_request_total. */
  readonly onRequest = (record: RequestRecord): void => {
    const labels = requestLabels(record);
    if (labels.kind === 'rollouts' && labels.name !== 'N/A') {
      if (this.exists('rollout', labels.namespace, labels.name)) {
        this.track(this.requestSeries, `${labels.namespace}/${labels.name}`, { ...labels });
      } else {
        labels.name = 'N/A';
      }
    }
    this.requests.inc(labels);
  };

  /** For the EventRecorder's onRecord: rollout_events_total. */
  readonly onEvent = (obj: EventObject, event: KubeEvent): void => {
    const id = { namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name ?? '' };
    if (!this.exists(obj.kind === 'AnalysisRun' ? 'analysisrun' : 'rollout', id.namespace, id.name)) return;
    const labels = { ...id, type: event.type, reason: event.reason };
    this.events.inc(labels);
    this.track(this.eventSeries, `${id.namespace}/${id.name}`, labels);
  };

  /** Removes every series of an object (it was deleted or left this controller's scope). */
  forget(kind: ObjectKind, namespace: string, name: string): void {
    const id = { namespace, name };
    this.reconcile[kind].remove(id);
    this.reconcileErrors[kind].remove(id);
    const key = `${namespace}/${name}`;
    for (const json of this.eventSeries.get(key) ?? []) this.events.remove(JSON.parse(json));
    this.eventSeries.delete(key);
    if (kind === 'rollout') {
      for (const json of this.requestSeries.get(key) ?? []) this.requests.remove(JSON.parse(json));
      this.requestSeries.delete(key);
    }
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private track(index: Map<string, Set<string>>, key: string, labels: Record<string, string>): void {
    const set = index.get(key) ?? new Set<string>();
    set.add(JSON.stringify(labels));
    index.set(key, set);
  }
}
