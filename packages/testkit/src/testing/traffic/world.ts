/** Shared by the traffic models' tests: pods, Services and a world of them, and traffic sent through a router. */
import type { RequestShape } from '../../traffic/request-mix';
import { requestMix } from '../../traffic/request-mix';
import type { Router } from '../../traffic/route-decision';
import { type RoutedCounts, RoutedTrafficModel } from '../../traffic/routed-traffic-model';
import { type ServiceView, ServiceWorld } from '../../traffic/service-endpoints';
import type { PodView } from '../../traffic/traffic-model';

export function pod(
  name: string,
  labels: Record<string, string>,
  options: { image?: string; ready?: boolean } = {},
): PodView {
  return {
    name,
    version: labels['rollouts-pod-template-hash'] ?? '',
    image: options.image ?? 'shop:v1',
    ready: options.ready ?? true,
    labels,
  };
}

export function service(
  name: string,
  selector: Record<string, string> | undefined,
  ports = [80],
): ServiceView {
  return { name, ...(selector ? { selector } : {}), ports: ports.map((port) => ({ port })) };
}

/**
 * The usual canary world in namespace `default`: Services `shop` (every version), `shop-stable`
 * (hash `s1`, 4 ready pods) and `shop-canary` (hash `c2`, `canaryPods` pods, ready unless told).
 */
export function canaryWorld(
  options: { canaryPods?: number; canaryReady?: boolean; extra?: ServiceView[] } = {},
): ServiceWorld {
  const pods: PodView[] = [];
  for (let i = 0; i < 4; i++)
    pods.push(pod(`stable-${i}`, { app: 'shop', 'rollouts-pod-template-hash': 's1' }));
  for (let i = 0; i < (options.canaryPods ?? 1); i++)
    pods.push(
      pod(
        `canary-${i}`,
        { app: 'shop', 'rollouts-pod-template-hash': 'c2' },
        { image: 'shop:v2', ready: options.canaryReady ?? true },
      ),
    );
  return new ServiceWorld(
    'default',
    [
      service('shop', { app: 'shop' }),
      service('shop-stable', { app: 'shop', 'rollouts-pod-template-hash': 's1' }),
      service('shop-canary', { app: 'shop', 'rollouts-pod-template-hash': 'c2' }),
      ...(options.extra ?? []),
    ],
    pods,
  );
}

export interface SendOptions {
  requestsPerSecond?: number;
  /** Total seconds of traffic; default 10 (1000 requests at 100/s). */
  seconds?: number;
  /** Split into this many equal ticks; default 1. */
  ticks?: number;
  requests?: RequestShape;
}

/** Sends traffic through a router (rebuilt by `build` each tick, as the app does) and returns the counts. */
export function send(build: () => Router, world: ServiceWorld, options: SendOptions = {}): RoutedCounts {
  const model = new RoutedTrafficModel(
    options.requestsPerSecond ?? 100,
    { badRatio: 0, goodRatio: 0 },
    requestMix(options.requests),
  );
  const ticks = options.ticks ?? 1;
  let counts = model.snapshot();
  for (let i = 0; i < ticks; i++) counts = model.advance(build(), world, (options.seconds ?? 10) / ticks);
  return counts;
}

/** Client-facing requests received per backend Service (those that received some). */
export function byBackend(counts: RoutedCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts.pods) if (c.received > 0) out[c.backend] = (out[c.backend] ?? 0) + c.received;
  return out;
}

/** Client-facing requests received per version (pod-template hash), those that received some. */
export function byVersion(counts: RoutedCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts.pods) if (c.received > 0) out[c.version] = (out[c.version] ?? 0) + c.received;
  return out;
}

/** Mirrored copies received per version (pod-template hash). */
export function mirroredByVersion(counts: RoutedCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts.pods) if (c.mirrored > 0) out[c.version] = (out[c.version] ?? 0) + c.mirrored;
  return out;
}

/** The problems as `object: field: message` lines. */
export function problemLines(counts: RoutedCounts): string[] {
  return counts.problems.map((p) => `${p.object}: ${p.field}: ${p.message}`);
}

/** Mirrored copies received per backend Service. */
export function mirroredBy(counts: RoutedCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts.pods) if (c.mirrored > 0) out[c.backend] = (out[c.backend] ?? 0) + c.mirrored;
  return out;
}

/** The data plane's answers, as `code backend` → count. */
export function answersOf(counts: RoutedCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of counts.answers) if (a.count > 0) out[`${a.code} ${a.backend}`.trim()] = a.count;
  return out;
}
