// A routed canary's traffic as text: the header's lines (whether the recorded weight is verified, a line
// per routing object, the TrafficRouting condition when it is False) and the tree's rows, one per routing
// object under the Rollout, with the weights it carries now (an Istio DestinationRule: the pod-template
// hash each subset selects) or why it could not be read.

import { age, type Color, field, type Paint } from './text';
import type { RouteInfo, TrafficInfo } from './traffic-info';

export const ROUTE_NODE_ICON = '⇄';

const STATUS_COLOR: Record<string, Color> = { '✔': 'green', '◌': 'blue', '⚠': 'red', '✖': 'red' };

/** `GatewayAPI HTTPRoute default/web-route`, as the header names a routing object. */
export function describeRoute(route: RouteInfo): string {
  const where = route.name !== undefined ? `${route.namespace}/${route.name}` : `${route.namespace}/*`;
  const selector = route.selector !== undefined ? ` (selector ${route.selector})` : '';
  const copyOf = route.stableIngress ?? route.baseMapping;
  const stable = copyOf !== undefined ? ` (canary of ${copyOf})` : '';
  return `${route.router} ${route.kind} ${where}${selector}${stable}`;
}

/** `  Verified:` after ActualWeight, when the controller says whether the objects carry the weight. */
export function verifiedLine(traffic: TrafficInfo): string {
  const verified = traffic.weights?.verified;
  if (verified === undefined) return '';
  const weight = traffic.weights?.canary.weight ?? 0;
  return field(
    '  Verified:',
    verified ? 'yes' : `no (the routing objects do not carry weight ${weight} yet)`,
  );
}

/** `Traffic:` lines, one per routing object (and per router Ramp does not run), and `TrafficRouting:`. */
export function trafficLines(traffic: TrafficInfo, paint: Paint): string {
  const lines = [
    ...traffic.objects.map(describeRoute),
    ...traffic.notRun.map((name) => `${name} (not run by Ramp)`),
  ];
  let out = lines.map((line, i) => field(i === 0 ? 'Traffic:' : '', line)).join('');
  if (traffic.error) {
    out += field('TrafficRouting:', paint(`✖ ${traffic.error.reason}: ${traffic.error.message}`, 'red'));
  }
  return out;
}

/** `subset canary → 7b6c5d4e3f / subset stable → 5d8f7c6b9a`: the hash each subset selects. */
function subsetText(route: RouteInfo): string {
  if (!route.subsets) return '';
  const { canary, stable } = route.subsets;
  const one = (s: { name: string; hash?: string }) => `subset ${s.name || '""'} → ${s.hash ?? '(no hash)'}`;
  return `${one(canary)} / ${one(stable)}`;
}

/** `canary 20 / stable 80`, per distinct split (or the subsets' hashes), then the note. */
function routeDetails(route: RouteInfo): string {
  const splits =
    subsetText(route) || route.splits.map((s) => `canary ${s.canary} / stable ${s.stable}`).join('; ');
  if (!route.note) return splits;
  return splits ? `${splits} (${route.note})` : route.note;
}

/** A routing object's row of the tree: NAME, KIND, STATUS, AGE, INFO. */
export function routeRow(route: RouteInfo, prefix: string, now: Date, paint: Paint): string[] {
  const name = route.name ?? `selector ${route.selector ?? ''}`;
  return [
    `${prefix}${ROUTE_NODE_ICON} ${name}`,
    route.kind,
    `${paint(route.icon, STATUS_COLOR[route.icon])} ${route.status}`,
    age(route.created, now),
    routeDetails(route),
  ];
}
