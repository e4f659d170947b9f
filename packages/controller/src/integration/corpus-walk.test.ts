// The compatibility corpus walked: each Rollout of Argo's corpus that routes only through routers Ramp
// runs and lints clean (the list lint's corpus test checks, from @ramp/api/testing) runs on testkit
// with the real controller, from its example as published: its file, or its folder for a Gateway API
// plugin example, with the upstream Gateway API and SMI CRDs installed (their CEL rules evaluated).
// A first deploy, a new pod template, every pause without a duration promoted, until the new
// revision is the stable: the routing objects end at weight 0 for the canary, the Services on the new
// revision, no safety invariant broken, no write refused.
//
// Each walk has its own testkit cluster: the examples keep their namespaces as written, and eight of
// them hold the same objects (Rollout rollouts-demo, its Services and HTTPRoute) in `default`.
// Changed to walk in seconds (shorten-waits.ts): every timed pause lasts 1 s, scaleDownDelaySeconds
// and abortScaleDownDelaySeconds above 2 are 2 (none of the 16 writes one). None runs analysis (a
// walked Rollout that did would be refused before any provider is called: the examples' metric
// addresses are real hosts). Left out (corpus-example.ts): RBAC (ClusterRole, ClusterRoleBinding),
// the plugin's argo-rollouts-config ConfigMap, kind's Cluster configurations, the VPC Lattice
// example's other Deployments and its TargetGroupPolicies, and documents unreadable as published (the
// AnalysisTemplate of examples/traffic-management/rollout-linkerd.yaml, which the Rollout does not use).
import {
  CLEAN_ROUTED,
  CLEAN_ROUTED_TOTAL,
  COMPAT_CORPUS,
  COMPAT_CORPUS_PRESENT,
  cleanRoutedRollouts,
  countByFolder,
  REFUSED_WHEN_RUN,
  routedCorpusRollouts,
} from '@ramp/api/testing';
import { type CorpusWalk, refuseCorpusRollout, walkCorpusRollout } from '../testing/integration/corpus-walk';
import { useHarness } from '../testing/integration/harness';

const env = useHarness(30_000);
const routed = COMPAT_CORPUS_PRESENT ? cleanRoutedRollouts() : [];
const walks: CorpusWalk[] = [];

if (!COMPAT_CORPUS_PRESENT) {
  console.warn(`compatibility corpus not found at ${COMPAT_CORPUS}: its walks are skipped (CI has it)`);
}

(COMPAT_CORPUS_PRESENT ? describe : describe.skip)('the corpus walked on testkit', () => {
  test('the walks are the clean routed Rollouts lint counts', () => {
    expect(countByFolder(routed)).toEqual(CLEAN_ROUTED);
    expect(routed).toHaveLength(CLEAN_ROUTED_TOTAL);
  });

  test.each(routed.map((r) => [`${r.file} Rollout/${r.name}`, r] as const))('%s walks', async (_, r) => {
    walks.push(await walkCorpusRollout((options) => env.start(options), r));
  });

  test(`${CLEAN_ROUTED_TOTAL} walks ran`, () => {
    const line = (w: CorpusWalk) =>
      `${String(w.ms).padStart(6)} ms  ${w.file}  ${w.rollout}  steps ${w.steps}, promoted [${w.promoted.join(', ')}]` +
      `${w.changes.length > 0 ? `; changed ${w.changes.join(', ')}` : ''}` +
      `${w.namespacesCreated.length > 0 ? `; namespaces created ${w.namespacesCreated.join(', ')}` : ''}` +
      `${w.servicesCreated.length > 0 ? `; Services created ${w.servicesCreated.join(', ')}` : ''}` +
      `\n          end: ${w.routes.join(', ')}`;
    console.log(
      `${walks.length} corpus walks, ${walks.reduce((n, w) => n + w.ms, 0)} ms:\n${walks.map(line).join('\n')}`,
    );
    expect(walks.map((w) => w.file)).toEqual(routed.map((r) => r.file));
  });
});

(COMPAT_CORPUS_PRESENT ? describe : describe.skip)(
  'the corpus Rollouts the controller refuses when run',
  () => {
    const refused = COMPAT_CORPUS_PRESENT
      ? routedCorpusRollouts().filter((r) => REFUSED_WHEN_RUN[r.file])
      : [];
    test('each is in the corpus', () => {
      expect(refused.map((r) => r.file).sort()).toEqual(Object.keys(REFUSED_WHEN_RUN).sort());
    });
    test.each(refused.map((r) => [`${r.file} Rollout/${r.name}`, r] as const))(
      '%s stops with a TrafficRouting condition naming the object and the fix, writing no routing object',
      async (_, r) => {
        const message = await refuseCorpusRollout(
          (options) => env.start(options),
          r,
          REFUSED_WHEN_RUN[r.file]!,
        );
        expect(message).toMatch(/add a path/);
      },
    );
  },
);
