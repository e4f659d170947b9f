// The text of a CRD file under crds/, as `pnpm gen:crds` writes it.
import { stringify } from 'yaml';
import type { CustomResourceDefinition } from './crds';

export const GENERATED_HEADER =
  '# Generated from packages/api/src/schema by `pnpm gen:crds`. Do not edit by hand.\n';

export function renderCrdYaml(crd: CustomResourceDefinition): string {
  return GENERATED_HEADER + stringify(crd, { lineWidth: 0 });
}
