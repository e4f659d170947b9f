// What a controller replica is responsible for: the namespace it runs in (POD_NAMESPACE), the
// objects of its instance (--instance-id: a label selector on Rollouts and AnalysisRuns, as Argo's
// controller-instance-id), and the lease its replicas share.
import { INSTANCE_ID_LABEL } from '../model/names';

/** The controller's own namespace: $POD_NAMESPACE (the downward API), else `default`. */
export function controllerNamespace(env: NodeJS.ProcessEnv = process.env): string {
  const ns = env.POD_NAMESPACE?.trim();
  return ns ? ns : 'default';
}

/**
 * The label selector of the Rollouts and AnalysisRuns an instance owns: with an id, the objects
 * labelled with it; without one, only the objects that carry no instance label at all.
 */
export function instanceSelector(instanceId: string | undefined): string {
  return instanceId ? `${INSTANCE_ID_LABEL}=${instanceId}` : `!${INSTANCE_ID_LABEL}`;
}

/** Why `id` cannot be an instance id (it must be a valid label value), or undefined. */
export function instanceIdProblem(id: string): string | undefined {
  if (id.length > 63) return 'must be at most 63 characters';
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(id)) {
    return 'must be a label value: letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}
