// A connection to the cluster for one command: @ramp/kube's KubeClient (raw JSON, rate limited,
// timeouts), the namespace in force, and errors turned into messages a person can act on.
import type { KubeClient, ResourceType } from '@ramp/kube';
import { CliError } from '../errors';
import { type ClusterFlags, loadKubeconfig } from './kubeconfig';
import type { AnalysisRunObj, RolloutObj } from './model';
import { RES } from './model';

export interface Session {
  client: KubeClient;
  /** The namespace of -n, else the context's, else `default`. */
  namespace: string;
  context: string;
  server: string;
  close(): void;
}

export type Env = Record<string, string | undefined>;

export async function openSession(flags: ClusterFlags, env: Env): Promise<Session> {
  const loaded = await loadKubeconfig(flags, env);
  const { KubeClient: Client } = await import('@ramp/kube');
  let client: KubeClient;
  try {
    client = new Client(loaded.kc, { qps: 50, burst: 100 });
  } catch (err) {
    throw new CliError(`cannot use the kubeconfig ${loaded.source}: ${(err as Error).message}`);
  }
  return {
    client,
    namespace: loaded.namespace,
    context: loaded.context,
    server: loaded.server,
    close: () => client.close(),
  };
}

/** The fields of @ramp/kube's KubeApiError the plugin reads (checked by shape: it is loaded lazily). */
interface ApiErrorShape {
  name: 'KubeApiError';
  code: number;
  reason: string;
  message: string;
  status?: { details?: { name?: string } };
}

export function apiError(err: unknown): ApiErrorShape | undefined {
  const e = err as Partial<ApiErrorShape> | null;
  return e && typeof e === 'object' && e.name === 'KubeApiError' && typeof e.code === 'number'
    ? (e as ApiErrorShape)
    : undefined;
}

export const isNotFound = (err: unknown): boolean => apiError(err)?.code === 404;
export const isGone = (err: unknown): boolean => apiError(err)?.code === 410;
export const isConflict = (err: unknown): boolean =>
  apiError(err)?.code === 409 && apiError(err)?.reason !== 'AlreadyExists';

const NETWORK =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|no answer in|connection lost|certificate|self[- ]signed/i;

/** An error as the person reads it: API errors and unreachable clusters explained, others as they are. */
export function explain(err: unknown, session: Pick<Session, 'server' | 'context'>): Error {
  if (err instanceof CliError) return err;
  const api = apiError(err);
  if (api) {
    if (api.code === 401) {
      return new CliError(
        `the cluster at ${session.server} does not accept the credentials of context "${session.context}": ${api.message}`,
      );
    }
    if (api.code === 403) return new CliError(`not allowed: ${api.message}`);
    return new CliError(api.message);
  }
  if (err instanceof Error) {
    const cause = err.cause as { code?: string; message?: string } | undefined;
    const text = `${err.message} ${cause?.code ?? ''}`;
    if (NETWORK.test(text)) {
      return new CliError(
        `cannot reach the cluster at ${session.server} (context "${session.context}"): ${cause?.message ?? err.message}`,
      );
    }
    return err;
  }
  return new Error(String(err));
}

/** A GET by name, with NotFound said the kubectl way (or the CRD missing, when the type is not served). */
export async function getObject<T>(
  s: Session,
  res: ResourceType,
  name: string,
  namespace = s.namespace,
): Promise<T> {
  try {
    return await s.client.get<T>(res, name, namespace);
  } catch (err) {
    const api = apiError(err);
    if (api?.code === 404) {
      const kind = (res.kind ?? res.plural).toLowerCase();
      if (api.status?.details?.name === name || api.message.includes(`"${name}" not found`)) {
        throw new CliError(`${kind} "${name}" not found in namespace "${namespace}"`);
      }
      throw new CliError(
        `the cluster at ${s.server} does not serve ${res.plural}.${res.group}/${res.version}: ` +
          `are Ramp's CRDs installed? (kubectl apply -f crds/)`,
      );
    }
    throw err;
  }
}

export const getRollout = (s: Session, name: string): Promise<RolloutObj> =>
  getObject<RolloutObj>(s, RES.rollouts, name);
export const getAnalysisRun = (s: Session, name: string): Promise<AnalysisRunObj> =>
  getObject<AnalysisRunObj>(s, RES.analysisRuns, name);
