// The traffic app's Prometheus metrics, on its own registry. The seed counters, as before:
// received and rejected requests per pod, labelled `service` (the seed's constant), the version
// (`rollouts_pod_template_hash`) and `pod`. Routed traffic adds the label `backend`, the Service
// through which the pod got the requests, and three counters: mirrored copies a pod received and
// rejected (never counted as received or rejected: their answers never reach a client), and the
// answers the data plane gave itself without reaching any pod, by backend and code.
import { Counter, Registry } from 'prom-client';
import { RECEIVED_METRIC, REJECTED_METRIC, VERSION_LABEL } from '../prometheus/request-metrics-app';
import type { RoutedCounts } from './routed-traffic-model';
import type { PodCounts } from './traffic-model';

export const BACKEND_LABEL = 'backend';
export const MIRRORED_METRIC = 'ramp_traffic_mirrored_requests_total';
export const MIRRORED_REJECTED_METRIC = 'ramp_traffic_mirrored_rejected_total';
export const DATA_PLANE_ANSWERS_METRIC = 'ramp_traffic_data_plane_answers_total';

const POD_LABELS = ['service', VERSION_LABEL, 'pod', BACKEND_LABEL] as const;

interface RoutedCounters {
  mirrored: Counter<(typeof POD_LABELS)[number]>;
  mirroredRejected: Counter<(typeof POD_LABELS)[number]>;
  answers: Counter<'service' | 'backend' | 'code'>;
}

export class TrafficMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<(typeof POD_LABELS)[number]>;
  private readonly rejected: Counter<(typeof POD_LABELS)[number]>;
  private routed: RoutedCounters | undefined;

  /** `service`: the value of the `service` label (the seed's). */
  constructor(private readonly service: string) {
    const registers = [this.registry];
    this.received = new Counter({
      name: RECEIVED_METRIC,
      help: 'Requests received',
      labelNames: POD_LABELS,
      registers,
    });
    this.rejected = new Counter({
      name: REJECTED_METRIC,
      help: 'Requests rejected',
      labelNames: POD_LABELS,
      registers,
    });
  }

  /** Selector mode: the counters per pod, without a backend label (as before routing existed). */
  showPods(counts: readonly PodCounts[]): void {
    this.received.reset();
    this.rejected.reset();
    for (const c of counts) {
      const labels = { service: this.service, [VERSION_LABEL]: c.version, pod: c.pod };
      this.received.inc(labels, c.received);
      this.rejected.inc(labels, c.rejected);
    }
  }

  /** Routed traffic: the counters per pod and backend, the mirrored copies and the data plane's answers. */
  showRouted(counts: RoutedCounts): void {
    const routed = this.routedCounters();
    for (const counter of [
      this.received,
      this.rejected,
      routed.mirrored,
      routed.mirroredRejected,
      routed.answers,
    ])
      counter.reset();
    for (const c of counts.pods) {
      const labels = {
        service: this.service,
        [VERSION_LABEL]: c.version,
        pod: c.pod,
        [BACKEND_LABEL]: c.backend,
      };
      this.received.inc(labels, c.received);
      this.rejected.inc(labels, c.rejected);
      routed.mirrored.inc(labels, c.mirrored);
      routed.mirroredRejected.inc(labels, c.mirroredRejected);
    }
    for (const a of counts.answers)
      routed.answers.inc({ service: this.service, [BACKEND_LABEL]: a.backend, code: a.code }, a.count);
  }

  private routedCounters(): RoutedCounters {
    const registers = [this.registry];
    this.routed ??= {
      mirrored: new Counter({
        name: MIRRORED_METRIC,
        help: 'Mirrored copies of requests a pod received (their answers never reach a client)',
        labelNames: POD_LABELS,
        registers,
      }),
      mirroredRejected: new Counter({
        name: MIRRORED_REJECTED_METRIC,
        help: 'Mirrored copies a pod rejected (never seen by a client)',
        labelNames: POD_LABELS,
        registers,
      }),
      answers: new Counter({
        name: DATA_PLANE_ANSWERS_METRIC,
        help: 'Requests the data plane answered itself, reaching no pod (404 no route, 500 invalid backend, 503 no ready endpoint, ...)',
        labelNames: ['service', BACKEND_LABEL, 'code'] as const,
        registers,
      }),
    };
    return this.routed;
  }
}
