// The RolloutSnapshot of one Rollout, read from the caches only (no API reads): the ReplicaSets and
// AnalysisRuns it controls (by owner uid, not being deleted), the Services it names, the templates.
import type { AnalysisTemplate, ClusterAnalysisTemplate, Rollout } from '@ramp/api';
import { CONTROLLER_UID_INDEX } from '@ramp/kube';
import type { Service } from '../model/kube-objects';
import type { RolloutSnapshot } from '../model/snapshot';
import type { ControllerCaches } from './controller-caches';
import { referencedServices } from './rollout-references';

function byName(a: { metadata: { name?: string } }, b: { metadata: { name?: string } }): number {
  const x = a.metadata.name ?? '';
  const y = b.metadata.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export function buildSnapshot(caches: ControllerCaches, rollout: Rollout): RolloutSnapshot {
  const uid = rollout.metadata.uid;
  const ns = rollout.metadata.namespace;
  const live = <T extends { metadata: { deletionTimestamp?: string } }>(objs: T[]) =>
    objs.filter((o) => !o.metadata.deletionTimestamp);
  const replicaSets = uid ? live(caches.replicaSets.byIndex(CONTROLLER_UID_INDEX, uid)).sort(byName) : [];
  const analysisRuns = uid ? live(caches.analysisRuns.byIndex(CONTROLLER_UID_INDEX, uid)).sort(byName) : [];
  const services = new Map<string, Service | undefined>();
  for (const name of referencedServices(rollout)) services.set(name, caches.services.get(ns, name));
  const templates = new Map<string, AnalysisTemplate>();
  for (const t of caches.analysisTemplates?.list(ns ?? '') ?? []) templates.set(t.metadata.name ?? '', t);
  const clusterTemplates = new Map<string, ClusterAnalysisTemplate>();
  for (const t of caches.clusterAnalysisTemplates?.list() ?? [])
    clusterTemplates.set(t.metadata.name ?? '', t);
  return {
    rollout,
    replicaSets,
    services,
    analysisRuns,
    templates,
    clusterTemplates,
    routes: caches.routing,
  };
}
