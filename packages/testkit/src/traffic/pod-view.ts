// A pod as the traffic sees it: name, version (the rollouts-pod-template-hash label), image,
// labels, and ready (the Ready condition True, and not being deleted).
import type { PodView } from './traffic-model';

type PodLike = {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: unknown };
  spec?: { containers?: { image?: string }[] };
  status?: { conditions?: { type?: string; status?: string }[] };
};

export function toPodView(pod: PodLike): PodView {
  return {
    name: pod.metadata?.name ?? '',
    version: pod.metadata?.labels?.['rollouts-pod-template-hash'] ?? '',
    image: pod.spec?.containers?.[0]?.image ?? '',
    ready:
      !pod.metadata?.deletionTimestamp &&
      (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    labels: { ...(pod.metadata?.labels ?? {}) },
  };
}
