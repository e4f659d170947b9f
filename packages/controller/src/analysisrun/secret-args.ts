// valueFrom of an AnalysisRun's args, resolved in the cluster: secretKeyRef from a Secret in the
// run's namespace (read when needed, never cached), fieldRef from the run itself.
import type { ArgResolver } from '@ramp/analysis';
import type { AnalysisRun } from '@ramp/api';
import type { Secret } from '../model/kube-objects';
import { fieldPathValue } from '../rollout/analysis-templates';

export type SecretReader = (namespace: string, name: string) => Promise<Secret>;

export function clusterArgResolver(run: AnalysisRun, readSecret: SecretReader): ArgResolver {
  const namespace = run.metadata.namespace ?? 'default';
  return {
    async secretKeyRef(ref, argName) {
      let secret: Secret;
      try {
        secret = await readSecret(namespace, ref.name);
      } catch (e) {
        throw new Error(
          `arg "${argName}": cannot read Secret "${ref.name}" in namespace "${namespace}": ${(e as Error).message}`,
        );
      }
      const encoded = secret.data?.[ref.key];
      if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
      const plain = secret.stringData?.[ref.key];
      if (plain !== undefined) return plain;
      throw new Error(`arg "${argName}": Secret "${ref.name}" has no key "${ref.key}"`);
    },
    async fieldRef(ref, argName) {
      const value = fieldPathValue(run, ref.fieldPath);
      if (value === undefined)
        throw new Error(`arg "${argName}": the AnalysisRun has no value at ${ref.fieldPath}`);
      return value;
    },
  };
}
