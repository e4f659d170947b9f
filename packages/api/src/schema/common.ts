// Schemas shared by every kind: object metadata, selectors, pod templates.
import { embedded, list, obj, opt, type Static, str, stringMap, Type } from './dsl';

/** metadata is validated by the API server itself; CRDs declare it as a plain object. */
export const ObjectMeta = Type.Unsafe<ObjectMetaFields>({ type: 'object' });

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMetaFields {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

export const LabelSelectorRequirement = obj({
  key: str('The label key that the selector applies to.'),
  operator: str('In, NotIn, Exists or DoesNotExist.'),
  values: opt(list(Type.String())),
});

export const LabelSelector = obj(
  {
    matchLabels: opt(stringMap('Labels a pod must carry, all of them.')),
    matchExpressions: opt(list(LabelSelectorRequirement)),
  },
  { description: 'A Kubernetes label selector.' },
);
export type LabelSelector = Static<typeof LabelSelector>;

/** Labels and annotations added to pods or runs. */
export const PodTemplateMetadata = obj({
  labels: opt(stringMap()),
  annotations: opt(stringMap()),
});
export type PodTemplateMetadata = Static<typeof PodTemplateMetadata>;

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  restartPolicy?: string;
  [field: string]: unknown;
}

export interface PodTemplateSpec {
  metadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  spec?: PodSpec;
}

export const PodTemplate = embedded<PodTemplateSpec>(
  'The pod template (core/v1 PodTemplateSpec), as in a Deployment.',
);

export interface JobSpec {
  template: PodTemplateSpec;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  [field: string]: unknown;
}

export const SecretKeyRef = obj({
  name: str('The Secret, in the namespace of the run.'),
  key: str('The key inside the Secret.'),
});

export const FieldRef = obj({
  fieldPath: str("A path into the Rollout, such as metadata.labels['app'] or metadata.name."),
});
