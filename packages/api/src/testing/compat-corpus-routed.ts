// The corpus's traffic-routed Rollouts: which route only through routers Ramp runs, which of those
// the controller's corpus walk runs (the Gateway API plugin's configuration, nginx, smi: the routers
// of part 1; the others join the walk when their routers do), the known exceptions, and how many are
// left, by folder. One list for two tests: lint's corpus test checks that each lints with no error,
// the controller's corpus walk runs each on testkit.

import {
  BUILT_IN_ROUTERS,
  type BuiltInRouter,
  namesAnyRouter,
  rampRunsAllRouters,
  type TrafficRouters,
  trafficRoutersOf,
} from '../validate/traffic-routers';
import { validateObject } from '../validate/validate';
import { allCorpusFiles, type CorpusFile, corpusDocuments, GATEWAY_EXAMPLES } from './compat-corpus';

/**
 * Files that are broken as published, with what lint says about them. Each is listed in
 * docs/compatibility.md under "Corpus files Ramp rejects". (A broken document does not make its
 * file's other documents unreadable: the Rollout of rollout-linkerd.yaml is read and walked.)
 */
export const KNOWN_BROKEN: Readonly<Record<string, RegExp>> = {
  'examples/traffic-management/rollout-linkerd.yaml':
    /a map key is itself a map \(\{args\.linkerd-enabled\}\)/,
  'gatewayapi-plugin/examples/kong/rollout.yml': /^YAML: Map keys must be unique/,
};

/** Rollouts whose routers Ramp runs but that use another field Ramp does not run yet: that field's path. */
export const ROUTED_BUT_UNSUPPORTED: Readonly<Record<string, RegExp>> = {
  'examples/traffic-routing-experiment-step/rollout-smi-experiment-step.yaml':
    /^spec\.strategy\.canary\.steps\[1\]\.experiment$/,
  'test/e2e/smi/rollout-smi-experiment.yaml': /^spec\.strategy\.canary\.steps\[1\]\.experiment$/,
  'gatewayapi-plugin/examples/google-cloud-experiment/rollout.yaml':
    /^spec\.strategy\.canary\.steps\[0\]\.experiment$/,
  'test/e2e/istio/istio-subset-split-in-stable-downscale-after-canary-abort.yaml':
    /^spec\.strategy\.canary\.(canary|stable)Metadata$/,
};

/**
 * Rollouts that lint clean but that the controller refuses once it reads their routing objects, as
 * Argo's does: the TrafficRouting condition's message. The ALB fixture names a rootService its
 * Ingresses do not route to (`alb-canary-root`; their paths name `alb-canary-multi-ingress-root`), which
 * Argo refuses with "ingress does not have service `alb-canary-root` in rules" (its e2e test of it
 * runs only against AWS). Folder lint warns about it.
 */
export const REFUSED_WHEN_RUN: Readonly<Record<string, RegExp>> = {
  'test/e2e/functional/alb-canary-multi-ingress-rollout.yaml':
    /^Ingress default\/alb-canary-multi-ingress-1: .*has no path whose backend is the Service "alb-canary-root"/,
};

/** The built-in routers the controller's corpus walk runs (with the Gateway API plugin's configuration): all. */
export const WALKED_ROUTERS: readonly BuiltInRouter[] = BUILT_IN_ROUTERS;

/** How many Rollouts route only through the walked routers and have no known exception, by folder. */
export const CLEAN_ROUTED: Readonly<Record<string, number>> = {
  examples: 5,
  'test/e2e/apisix': 2,
  'test/e2e/functional': 10,
  'test/e2e/header-routing': 3,
  'test/e2e/istio': 8,
  'test/e2e/mirror-route': 1,
  'test/e2e/smi_ingress': 1,
  [GATEWAY_EXAMPLES]: 13,
};
export const CLEAN_ROUTED_TOTAL = 43;

export interface RoutedRollout extends CorpusFile {
  name: string;
  /** The Rollout as written (placeholders filled). */
  doc: Record<string, unknown>;
  routers: TrafficRouters;
  /** Every router it names is one Ramp runs. */
  rampRunsAll: boolean;
  /** Every router it names is one the corpus walk runs (WALKED_ROUTERS, the Gateway API plugin). */
  walked: boolean;
}

type RolloutDoc = {
  metadata?: { name?: unknown };
  spec?: { strategy?: { canary?: { trafficRouting?: unknown } } };
};

/** Every readable Rollout of the corpus whose trafficRouting names a router, in file order. */
export function routedCorpusRollouts(): RoutedRollout[] {
  return allCorpusFiles().flatMap((file) =>
    corpusDocuments(file.path).flatMap((d): RoutedRollout[] => {
      if (d.value?.kind !== 'Rollout') return [];
      const doc = d.value as RolloutDoc;
      const routers = trafficRoutersOf(doc.spec?.strategy?.canary?.trafficRouting);
      if (!namesAnyRouter(routers)) return [];
      const rampRunsAll = rampRunsAllRouters(routers);
      const walked = rampRunsAll && routers.builtIn.every((r) => WALKED_ROUTERS.includes(r));
      return [{ ...file, name: String(doc.metadata?.name), doc: d.value, routers, rampRunsAll, walked }];
    }),
  );
}

/**
 * The routed Rollouts Ramp runs whole and the corpus walk runs: every router a walked one, no other
 * unsupported field (CLEAN_ROUTED_TOTAL of them; lint finds no error in them, and each walks on testkit).
 */
export const cleanRoutedRollouts = (): RoutedRollout[] =>
  routedCorpusRollouts().filter(
    (r) =>
      r.walked &&
      !ROUTED_BUT_UNSUPPORTED[r.file] &&
      !REFUSED_WHEN_RUN[r.file] &&
      // experiment steps (their own issue) are the other errors a routed Rollout may have
      !validateObject(r.doc).findings.some((f) => f.severity === 'error'),
  );

/** How many of `rollouts` each folder holds. */
export function countByFolder(rollouts: readonly { folder: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rollouts) out[r.folder] = (out[r.folder] ?? 0) + 1;
  return out;
}
