// The corpus's traffic-routed Rollouts: which route only through routers Ramp runs (the Gateway API
// plugin's configuration, nginx, smi), the known exceptions, and how many are left, by folder. One
// list for two tests: lint's corpus test checks that each lints with no error, the controller's corpus
// walk runs each on testkit.
import { namesAnyRouter, type TrafficRouters, trafficRoutersOf } from '../validate/traffic-routers';
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
};

/** How many Rollouts route only through routers Ramp runs and have no known exception, by folder. */
export const CLEAN_ROUTED: Readonly<Record<string, number>> = {
  examples: 1,
  'test/e2e/functional': 1,
  'test/e2e/smi_ingress': 1,
  [GATEWAY_EXAMPLES]: 13,
};
export const CLEAN_ROUTED_TOTAL = 16;

export interface RoutedRollout extends CorpusFile {
  name: string;
  /** The Rollout as written (placeholders filled). */
  doc: Record<string, unknown>;
  routers: TrafficRouters;
  /** Every router it names is one Ramp runs. */
  rampRunsAll: boolean;
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
      const rampRunsAll = routers.notRun.length === 0 && routers.otherPlugins.length === 0;
      return [{ ...file, name: String(doc.metadata?.name), doc: d.value, routers, rampRunsAll }];
    }),
  );
}

/**
 * The routed Rollouts Ramp runs whole: every router one Ramp runs, no other unsupported field
 * (CLEAN_ROUTED_TOTAL of them; lint finds no error in them, and each walks on testkit).
 */
export const cleanRoutedRollouts = (): RoutedRollout[] =>
  routedCorpusRollouts().filter((r) => r.rampRunsAll && !ROUTED_BUT_UNSUPPORTED[r.file]);

/** How many of `rollouts` each folder holds. */
export function countByFolder(rollouts: readonly { folder: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rollouts) out[r.folder] = (out[r.folder] ?? 0) + 1;
  return out;
}
