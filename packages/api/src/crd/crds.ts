// The four CustomResourceDefinitions, built from the schemas in schema/.
import { GROUP, KINDS, type KindInfo, VERSION } from '../schema/kinds';
import { type JsonSchema, rootOpenApi } from './openapi';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: JsonSchema;
}

export function buildCrd(info: KindInfo): CustomResourceDefinition {
  const subresources: JsonSchema = {};
  if (info.statusSubresource) subresources.status = {};
  if (info.scale) subresources.scale = { ...info.scale };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${info.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/name': 'ramp', 'app.kubernetes.io/part-of': 'ramp' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        singular: info.singular,
        shortNames: info.shortNames,
      },
      scope: info.scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: info.printerColumns,
          schema: { openAPIV3Schema: rootOpenApi(info.schema as unknown as JsonSchema) },
          ...(Object.keys(subresources).length > 0 ? { subresources } : {}),
        },
      ],
    },
  };
}

export function buildCrds(): CustomResourceDefinition[] {
  return KINDS.map(buildCrd);
}

/** The file name under crds/ for a kind's CRD. */
export function crdFileName(info: KindInfo): string {
  return `${info.plural}.yaml`;
}
