/** The table of built-in resources: what a fresh testkit cluster serves before any CRD is created. */
import { builtinSelectableFields } from '../semantics/field-selector';
import type { Schema } from '../semantics/schema-validation';
import type { KubeObject } from '../types';
import { defaults, validators } from './builtin-defaults';
import { BUILTIN_COLUMNS } from './printers';
import type { ResourceType, ScaleSubresource } from './resource-type';

interface Entry {
  group: string;
  versions: string[];
  kind: string;
  plural: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  status?: boolean;
  scale?: ScaleSubresource;
  generation?: boolean;
  /** Served like a CRD without schema (Gateway API, Istio, SMI): no strategic merge, PUT needs resourceVersion. */
  crdLike?: boolean;
  defaultPropagation?: 'Background' | 'Orphan';
  deleteReturnsObject?: boolean;
  nameRule?: 'subdomain' | 'label';
  defaults?: (o: KubeObject) => void;
  validate?: ResourceType['validate'];
}

const WORKLOAD_SCALE: ScaleSubresource = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  selectorFromSpec: true,
};

const ENTRIES: Entry[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
    shortNames: ['ns'],
    status: true,
    deleteReturnsObject: true,
    nameRule: 'label',
    defaults: defaults.namespace,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Pod',
    plural: 'pods',
    shortNames: ['po'],
    categories: ['all'],
    status: true,
    deleteReturnsObject: true,
    defaults: defaults.pod,
    validate: validators.pod,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Service',
    plural: 'services',
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
    deleteReturnsObject: true,
    nameRule: 'label',
    defaults: defaults.service,
    validate: validators.service,
  },
  { group: '', versions: ['v1'], kind: 'Secret', plural: 'secrets', defaults: defaults.secret },
  { group: '', versions: ['v1'], kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
  { group: '', versions: ['v1'], kind: 'Event', plural: 'events', shortNames: ['ev'] },
  { group: 'events.k8s.io', versions: ['v1'], kind: 'Event', plural: 'events', shortNames: ['ev'] },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'ReplicaSet',
    plural: 'replicasets',
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
    scale: WORKLOAD_SCALE,
    generation: true,
    defaults: defaults.replicaSet,
    validate: validators.workload,
  },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    plural: 'deployments',
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
    scale: WORKLOAD_SCALE,
    generation: true,
    defaults: defaults.deployment,
    validate: validators.workload,
  },
  {
    group: 'batch',
    versions: ['v1'],
    kind: 'Job',
    plural: 'jobs',
    categories: ['all'],
    status: true,
    generation: true,
    defaultPropagation: 'Orphan',
    defaults: defaults.job,
    validate: validators.job,
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    kind: 'Ingress',
    plural: 'ingresses',
    shortNames: ['ing'],
    status: true,
    generation: true,
  },
  { group: 'coordination.k8s.io', versions: ['v1'], kind: 'Lease', plural: 'leases' },
  {
    group: 'gateway.networking.k8s.io',
    versions: ['v1'],
    kind: 'HTTPRoute',
    plural: 'httproutes',
    categories: ['gateway-api'],
    status: true,
    generation: true,
    crdLike: true,
  },
  {
    group: 'networking.istio.io',
    versions: ['v1beta1', 'v1alpha3'],
    kind: 'VirtualService',
    plural: 'virtualservices',
    shortNames: ['vs'],
    categories: ['istio-io', 'networking-istio-io'],
    status: true,
    generation: true,
    crdLike: true,
  },
  {
    group: 'networking.istio.io',
    versions: ['v1beta1', 'v1alpha3'],
    kind: 'DestinationRule',
    plural: 'destinationrules',
    shortNames: ['dr'],
    categories: ['istio-io', 'networking-istio-io'],
    status: true,
    generation: true,
    crdLike: true,
  },
  {
    group: 'split.smi-spec.io',
    versions: ['v1alpha1'],
    kind: 'TrafficSplit',
    plural: 'trafficsplits',
    shortNames: ['ts'],
    generation: true,
    crdLike: true,
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
    generation: true,
  },
];

/** Schema of the CRD-like built-ins: anything goes, nothing is pruned. */
const OPEN_SCHEMA: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function toType(e: Entry): ResourceType {
  const key = `${e.group}/${e.plural}`;
  const crdLike = e.crdLike === true;
  return {
    group: e.group,
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    kind: e.kind,
    listKind: `${e.kind}List`,
    namespaced: e.namespaced ?? true,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    versions: e.versions.map((name) => ({
      name,
      status: e.status === true,
      ...(e.scale ? { scale: e.scale } : {}),
      ...(crdLike ? { schema: OPEN_SCHEMA } : { printerColumns: BUILTIN_COLUMNS[key] }),
      selectableFields: builtinSelectableFields(e.group, e.plural),
    })),
    storageVersion: e.versions[0]!,
    builtin: !crdLike,
    strategicMerge: !crdLike,
    generation: e.generation === true,
    unconditionalUpdate: !crdLike && e.plural !== 'customresourcedefinitions',
    defaultPropagation: e.defaultPropagation ?? 'Background',
    deleteReturnsObject: e.deleteReturnsObject === true,
    nameRule: e.nameRule ?? 'subdomain',
    ...(e.defaults ? { defaults: e.defaults } : {}),
    ...(e.validate ? { validate: e.validate } : {}),
  };
}

export function builtinResources(): ResourceType[] {
  return ENTRIES.map(toType);
}
