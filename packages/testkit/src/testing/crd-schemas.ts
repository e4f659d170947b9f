/** Small CRDs and schemas for the tests of x-kubernetes-validations (src/cel). */
import type { Schema } from '../semantics/schema-validation';

/** A rule as a CRD writes it. */
export interface RuleSpec {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** `schema` with `rules` as its x-kubernetes-validations. */
export function withRules(schema: Schema, ...rules: RuleSpec[]): Schema {
  return { ...schema, 'x-kubernetes-validations': rules };
}

/** A root schema (`type: object`) with `spec` as its only property. */
export function rootWithSpec(spec: Schema): Schema {
  return { type: 'object', properties: { spec } };
}

/** A namespaced CRD `widgets.example.com` (kind Widget, one version v1) with the given root schema. */
export function widgetCrd(openAPIV3Schema: Schema, versions = ['v1']): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === 0,
        schema: { openAPIV3Schema },
        subresources: { status: {} },
      })),
    },
  };
}

/** A Widget object in namespace default. */
export function widget(
  name: string,
  spec: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec,
    ...extra,
  };
}
