// What a failed wait prints: each Rollout's status, the ReplicaSets, the Services' selectors, the
// AnalysisRuns and the Events, read straight from the cluster's store.
import type { AnalysisRun, Rollout } from '@ramp/api';
import type { ClusterStore } from '@ramp/testkit';
import type { ReplicaSet, Service } from '../../model/kube-objects';
import {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  SCALE_DOWN_DEADLINE_ANNOTATION,
} from '../../model/names';

interface KubeEvent {
  metadata: { creationTimestamp?: string; resourceVersion?: string };
  involvedObject?: { kind?: string; name?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
}

export function describeState(store: ClusterStore, namespace: string): string {
  const list = <T>(apiVersion: string, kind: string) =>
    store.list(apiVersion, kind, { namespace }) as unknown as T[];
  const lines: string[] = [];
  for (const ro of list<Rollout>('argoproj.io/v1alpha1', 'Rollout')) {
    lines.push(`Rollout ${ro.metadata.name} (generation ${ro.metadata.generation}):`);
    lines.push(`  spec.strategy: ${JSON.stringify(ro.spec.strategy)}`);
    lines.push(`  status: ${JSON.stringify(ro.status ?? {}, null, 1).replace(/\n\s*/g, ' ')}`);
  }
  lines.push('ReplicaSets:');
  for (const rs of list<ReplicaSet>('apps/v1', 'ReplicaSet')) {
    const a = rs.metadata.annotations ?? {};
    const deadline = a[SCALE_DOWN_DEADLINE_ANNOTATION]
      ? ` scale-down-deadline=${a[SCALE_DOWN_DEADLINE_ANNOTATION]}`
      : '';
    const s = rs.status ?? {};
    lines.push(
      `  ${rs.metadata.name} rev=${a[REVISION_ANNOTATION]} image=${rs.spec.template.spec?.containers?.[0]?.image} ` +
        `spec=${rs.spec.replicas} replicas=${s.replicas ?? 0} ready=${s.readyReplicas ?? 0} ` +
        `available=${s.availableReplicas ?? 0}${deadline}`,
    );
  }
  lines.push('Services:');
  for (const svc of list<Service>('v1', 'Service')) {
    lines.push(`  ${svc.metadata.name} -> ${svc.spec.selector?.[POD_TEMPLATE_HASH_LABEL] ?? '(any)'}`);
  }
  lines.push('AnalysisRuns:');
  for (const run of list<AnalysisRun>('argoproj.io/v1alpha1', 'AnalysisRun')) {
    lines.push(
      `  ${run.metadata.name} phase=${run.status?.phase ?? '-'} terminate=${run.spec.terminate ?? false} ` +
        `message=${run.status?.message ?? ''}`,
    );
  }
  lines.push('Events:');
  const events = list<KubeEvent>('v1', 'Event').sort(
    (a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
  );
  for (const e of events.slice(-60)) {
    const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
    lines.push(
      `  ${e.involvedObject?.kind}/${e.involvedObject?.name} ${e.type} ${e.reason}: ${e.message}${count}`,
    );
  }
  return lines.join('\n');
}

/** The reasons and messages of the Events about `name`, oldest first, as `Reason: message`. */
export function eventsAbout(store: ClusterStore, namespace: string, name: string): string[] {
  return (store.list('v1', 'Event', { namespace }) as unknown as KubeEvent[])
    .filter((e) => e.involvedObject?.name === name)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => `${e.reason}: ${e.message}`);
}
