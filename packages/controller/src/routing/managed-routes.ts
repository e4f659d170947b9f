// The managed routes in force at a step: each setHeaderRoute / setMirrorRoute step up to it sets its
// route (named in trafficRouting.managedRoutes), and one without `match` removes it again, as the
// steps leave them in Argo's routers. Pure, so a restarted controller finds the same routes.
import type { CanaryStep, Rollout } from '@ramp/api';
import type { ManagedRoute } from './router';

/** The names in trafficRouting.managedRoutes, in order. */
export function managedRouteNames(rollout: Rollout): string[] {
  return (rollout.spec.strategy?.canary?.trafficRouting?.managedRoutes ?? []).map((r) => r.name);
}

/** The routes set by steps[0..index] (the step at `index` too: header and mirror steps complete at once). */
export function managedRoutesAt(
  steps: readonly CanaryStep[],
  index: number,
  names: readonly string[],
): ManagedRoute[] {
  const routes = new Map<string, ManagedRoute>();
  for (const step of steps.slice(0, index + 1)) {
    const header = step.setHeaderRoute;
    if (header?.name) {
      if (header.match?.length)
        routes.set(header.name, { type: 'header', name: header.name, match: header.match });
      else routes.delete(header.name);
    }
    const mirror = step.setMirrorRoute;
    if (mirror?.name) {
      if (mirror.match?.length)
        routes.set(mirror.name, {
          type: 'mirror',
          name: mirror.name,
          match: mirror.match,
          ...(mirror.percentage !== undefined ? { percentage: mirror.percentage } : {}),
        });
      else routes.delete(mirror.name);
    }
  }
  return names.flatMap((name) => {
    const route = routes.get(name);
    return route ? [route] : [];
  });
}
