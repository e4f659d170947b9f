// The two ways the demo tells its story (a good version out to 100%, a bad one aborted by the
// analysis): the seed canary as it is, its weight the share of the pods the traffic spreads over;
// or (--gateway-api) routed through a Gateway API HTTPRoute whose weights Ramp sets and the traffic
// follows. The story, its checks and its summary are the same; what differs is here.

import { RESOURCES, type ResourceType } from '@ramp/kube';
import type { CrdBundle } from '@ramp/testkit';
import {
  CANARY_SERVICE,
  canaryTemplate,
  HTTP_ROUTES,
  httpRoute,
  ROUTE,
  routedCanary,
  STABLE_SERVICE,
  services,
} from './gateway-manifests';
import { seedCanary, seedTemplate } from './manifests';

export type Judge = { prometheus: string } | { web: string };

export interface DemoMode {
  /** Upstream CRDs the cluster serves besides Ramp's. */
  crds: CrdBundle[];
  /** How the traffic app sends its requests: over the ready pods of a selector, or as a route says. */
  traffic: { selector: string } | { route: string };
  /** The HTTPRoute whose weights the live view shows, when the traffic is routed. */
  route?: string;
  /** Objects that exist before the traffic starts (the route and its Services), and what to say about them. */
  setup: { say: string; objects: Creation[] } | undefined;
  /** What the demo says it applied. */
  applied: string;
  /** The objects to create, in order (the Rollout last). */
  objects(judge: Judge): Creation[];
}

export interface Creation {
  resource: ResourceType;
  object: { metadata?: { name?: string; namespace?: string } };
}

export const SEED_MODE: DemoMode = {
  crds: [],
  traffic: { selector: 'app=sgdecoding-online-scaled' },
  setup: undefined,
  applied: 'examples/analysis-template.yaml and examples/canary-with-analysis.yaml',
  objects: (judge) => [
    { resource: RESOURCES.analysisTemplates, object: seedTemplate(judge) },
    { resource: RESOURCES.rollouts, object: seedCanary() },
  ],
};

export const GATEWAY_API_MODE: DemoMode = {
  crds: ['gateway-api-standard'],
  traffic: { route: `httproute/${ROUTE}` },
  route: ROUTE,
  setup: {
    say: `route       HTTPRoute default/${ROUTE}: one rule, backendRefs ${STABLE_SERVICE} and ${CANARY_SERVICE} (no weights: Ramp sets them)`,
    objects: [
      ...services().map((object) => ({ resource: RESOURCES.services, object })),
      { resource: HTTP_ROUTES, object: httpRoute() },
    ],
  },
  applied:
    'examples/canary-with-analysis.yaml with trafficRouting through the HTTPRoute, judged by its canary alone (template canary-error-ratio)',
  objects: (judge) => [
    { resource: RESOURCES.analysisTemplates, object: canaryTemplate(judge) },
    { resource: RESOURCES.rollouts, object: routedCanary(judge) },
  ],
};
