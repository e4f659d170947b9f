// A corpus Rollout's example, as a person would apply it: the Rollout's own file, or, for the Gateway
// API plugin's examples (a folder per example, applied whole), every file of its folder; the objects
// of the kinds Ramp and testkit have something to do with kept, the others dropped with why.
import { dirname } from 'node:path';
import {
  type CorpusDocument,
  corpusDocuments,
  corpusFiles,
  GATEWAY_EXAMPLES,
  type RoutedRollout,
} from '@ramp/api/testing';

export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
} & Record<string, unknown>;

/** The kinds created, in the order they are (a namespace before its objects, the Rollout last). */
export const CREATED_KINDS = [
  'Namespace',
  'GatewayClass',
  'Gateway',
  'Service',
  'HTTPRoute',
  'GRPCRoute',
  'TCPRoute',
  'Ingress',
  'VirtualService',
  'DestinationRule',
  'ApisixRoute',
  'TraefikService',
  'Mapping',
  'Rollout',
] as const;

/** The kinds the examples hold that the walks leave out, and why. */
export const DROPPED_KINDS: Readonly<Record<string, string>> = {
  ClusterRole: "RBAC for Argo's controller to run the plugin: testkit authorizes every request",
  ClusterRoleBinding: "RBAC for Argo's controller to run the plugin: testkit authorizes every request",
  ConfigMap:
    "argo-rollouts-config, registering the plugin's binary with Argo: Ramp runs the plugin's configuration itself",
  Cluster: "kind's cluster configuration (kind.x-k8s.io), not an API object",
  Deployment:
    "the example's other applications (the VPC Lattice frontend and catalog), which the Rollout's walk does not involve",
  KubernetesEndpointResolver:
    "Ambassador's endpoint-resolver setting (getambassador.io): a CRD testkit does not have, read by no one here",
  TargetGroupPolicy:
    "AWS VPC Lattice's health-check policy: a CRD testkit does not have, read by no one here",
};

export interface DroppedObject {
  file: string;
  what: string;
  why: string;
}

export interface CorpusExample {
  /** The Rollout's file inside the corpus. */
  file: string;
  /** The files read. */
  files: string[];
  rollout: Manifest;
  /** Every object to create, the Rollout included, in CREATED_KINDS order. */
  objects: Manifest[];
  dropped: DroppedObject[];
}

const docName = (d: CorpusDocument) =>
  `${String(d.value?.kind ?? 'document')}/${String((d.value?.metadata as { name?: unknown } | undefined)?.name ?? d.index)}`;

/**
 * Argo's examples applied as a folder (the Rollout in one file, its Services and routing objects in
 * others, as their docs apply them), besides every Gateway API plugin example.
 */
const FOLDER_EXAMPLES = ['examples/ambassador', 'examples/apisix'];

/** The files of `routed`'s example: its folder for a folder example, else its own file. */
function exampleFiles(routed: RoutedRollout): { file: string; path: string }[] {
  const folder = dirname(routed.file);
  if (FOLDER_EXAMPLES.includes(folder)) return corpusFiles(folder, false);
  if (routed.folder !== GATEWAY_EXAMPLES) return [routed];
  return corpusFiles(folder, false);
}

/** Loads `routed`'s example; throws on a kind neither created nor dropped, or an example of two Rollouts. */
export function loadCorpusExample(routed: RoutedRollout): CorpusExample {
  const files = exampleFiles(routed);
  const objects: Manifest[] = [];
  const dropped: DroppedObject[] = [];
  for (const { file, path } of files) {
    for (const d of corpusDocuments(path)) {
      if (d.problem !== undefined) {
        dropped.push({ file, what: `document ${d.index}`, why: `unreadable as published: ${d.problem}` });
        continue;
      }
      const kind = String(d.value?.kind);
      if ((CREATED_KINDS as readonly string[]).includes(kind)) objects.push(d.value as Manifest);
      else if (DROPPED_KINDS[kind]) dropped.push({ file, what: docName(d), why: DROPPED_KINDS[kind] });
      else throw new Error(`${file}: ${docName(d)} is of a kind the walk neither creates nor drops`);
    }
  }
  const rollouts = objects.filter((o) => o.kind === 'Rollout');
  if (rollouts.length !== 1 || rollouts[0]!.metadata.name !== routed.name)
    throw new Error(
      `${routed.file}: its example holds ${rollouts.map((r) => r.metadata.name).join(', ') || 'no Rollout'}, not Rollout ${routed.name} alone`,
    );
  objects.sort(
    (a, b) =>
      CREATED_KINDS.indexOf(a.kind as (typeof CREATED_KINDS)[number]) -
      CREATED_KINDS.indexOf(b.kind as (typeof CREATED_KINDS)[number]),
  );
  return { file: routed.file, files: files.map((f) => f.file), rollout: rollouts[0]!, objects, dropped };
}
