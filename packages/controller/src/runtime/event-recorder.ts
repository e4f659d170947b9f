// Kubernetes Events (core/v1) about the objects the controller manages, as Argo Rollouts writes them
// (source.component rollouts-controller). Repeats of the same reason and message are aggregated: the
// existing Event gets count + 1 and a new lastTimestamp (a patch) instead of a new Event. Recording
// never throws: an Event that cannot be written is logged and dropped.
import { hostname } from 'node:os';
import type { ObjectMetaFields } from '@ramp/api';
import {
  type Clock,
  errorFields,
  isNotFound,
  type KubeClient,
  type Log,
  RESOURCES,
  realClock,
  silentLog,
} from '@ramp/kube';
import { REVISION_ANNOTATION } from '../model/names';
import type { KubeEvent } from '../model/plan';

export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetaFields;
}

export interface EventRecorderOptions {
  client: KubeClient;
  clock?: Clock;
  log?: Log;
  /** source.component (default `rollouts-controller`, as Argo Rollouts). */
  component?: string;
  /** reportingComponent (default `ramp`). */
  reportingController?: string;
  reportingInstance?: string;
  /** Events remembered for aggregation (default 4096, least recently used dropped). */
  maxRemembered?: number;
  /** Told about every event recorded (metrics: rollout_events_total). */
  onRecord?: (obj: InvolvedObject, event: KubeEvent) => void;
}

interface Remembered {
  name: string;
  namespace: string;
  count: number;
}

/** Seconds precision, as metav1.Time is serialized. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventRecorder {
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly remembered = new Map<string, Remembered>();
  private seq = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? silentLog;
  }

  /** Records `event` about `obj`; resolves true when it was written. */
  async record(obj: InvolvedObject, event: KubeEvent): Promise<boolean> {
    const { name = '', namespace = 'default', uid = '' } = obj.metadata;
    const key = [namespace, name, uid, event.type, event.reason, event.message].join('\u0000');
    const now = rfc3339(this.clock.now());
    const objectField = obj.kind === 'AnalysisRun' ? 'analysisrun' : 'rollout';
    const revision = obj.metadata.annotations?.[REVISION_ANNOTATION];
    const log = this.log.child({
      namespace,
      [objectField]: name,
      ...(revision ? { revision } : {}),
      reason: event.reason,
    });
    this.options.onRecord?.(obj, event);
    try {
      const known = this.remembered.get(key);
      if (known) {
        try {
          await this.options.client.patch(
            RESOURCES.events,
            known.name,
            { count: known.count + 1, lastTimestamp: now },
            { namespace: known.namespace, type: 'merge' },
          );
          known.count++;
          this.remember(key, known);
          return true;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          this.remembered.delete(key); // expired on the server: write a new one
        }
      }
      const created = await this.options.client.create(RESOURCES.events, this.newEvent(obj, event, now));
      this.remember(key, { name: created.metadata.name, namespace, count: 1 });
      return true;
    } catch (err) {
      log.warn({ ...errorFields(err), message: event.message }, 'could not record an event');
      return false;
    }
  }

  private newEvent(obj: InvolvedObject, event: KubeEvent, now: string) {
    const { name = '', namespace = 'default', uid, resourceVersion } = obj.metadata;
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${nanos.toString(16)}`, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name, namespace, uid, resourceVersion },
      type: event.type,
      reason: event.reason,
      message: event.message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.options.component ?? 'rollouts-controller' },
      reportingComponent: this.options.reportingController ?? 'ramp',
      reportingInstance: this.options.reportingInstance ?? hostname(),
    };
  }

  private remember(key: string, value: Remembered): void {
    this.remembered.delete(key);
    this.remembered.set(key, value);
    const max = this.options.maxRemembered ?? 4096;
    while (this.remembered.size > max) {
      const oldest = this.remembered.keys().next().value;
      if (oldest === undefined) break;
      this.remembered.delete(oldest);
    }
  }
}
