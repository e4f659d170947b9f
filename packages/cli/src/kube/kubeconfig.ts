// kubectl's way of finding the cluster: --kubeconfig, else the files of $KUBECONFIG (merged, the first
// file's entries winning), else ~/.kube/config, else the in-cluster service account; then --context
// and -n/--namespace over the context's. Failures say where they looked.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../errors';

/** kubectl's global flags, as every cluster verb takes them. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
}

export interface LoadedConfig {
  kc: KubeConfig;
  /** Where the configuration came from, for messages. */
  source: string;
  context: string;
  namespace: string;
  server: string;
}

type Env = Record<string, string | undefined>;

function readFile(kc: KubeConfig, file: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new CliError(`cannot read the kubeconfig ${file}: ${(err as Error).message}`);
  }
}

/** kubectl's merge: for every name the first file that has it wins, and the first current-context. */
function mergeFiles(KubeConfigClass: typeof KubeConfig, files: string[]): KubeConfig {
  const kc = new KubeConfigClass();
  readFile(kc, files[0]!);
  for (const file of files.slice(1)) {
    const next = new KubeConfigClass();
    readFile(next, file);
    for (const c of next.getClusters()) if (!kc.getCluster(c.name)) kc.addCluster(c);
    for (const u of next.getUsers()) if (!kc.getUser(u.name)) kc.addUser(u);
    for (const c of next.getContexts()) if (!kc.getContextObject(c.name)) kc.addContext(c);
    if (!kc.getCurrentContext() && next.getCurrentContext()) kc.setCurrentContext(next.getCurrentContext());
  }
  return kc;
}

export async function loadKubeconfig(flags: ClusterFlags, env: Env): Promise<LoadedConfig> {
  const { KubeConfig: KubeConfigClass } = await import('@kubernetes/client-node');
  let kc: KubeConfig;
  let source: string;
  const home = env.HOME ?? homedir();
  const defaultFile = join(home, '.kube', 'config');
  if (flags.kubeconfig) {
    if (!existsSync(flags.kubeconfig)) {
      throw new CliError(`the kubeconfig ${flags.kubeconfig} (from --kubeconfig) does not exist`);
    }
    kc = mergeFiles(KubeConfigClass, [flags.kubeconfig]);
    source = flags.kubeconfig;
  } else if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const found = files.filter((f) => existsSync(f));
    if (found.length === 0) {
      throw new CliError(`no kubeconfig: KUBECONFIG is ${env.KUBECONFIG}, and none of its files exist`);
    }
    kc = mergeFiles(KubeConfigClass, found);
    source = found.join(delimiter);
  } else if (existsSync(defaultFile)) {
    kc = mergeFiles(KubeConfigClass, [defaultFile]);
    source = defaultFile;
  } else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    kc = new KubeConfigClass();
    kc.loadFromCluster();
    source = 'the in-cluster service account';
  } else {
    throw new CliError(
      `no kubeconfig: looked for --kubeconfig (not given), $KUBECONFIG (not set) and ${defaultFile} ` +
        '(does not exist). Pass --kubeconfig FILE or set KUBECONFIG',
    );
  }
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new CliError(
        `context "${flags.context}" is not in the kubeconfig ${source} (contexts: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(flags.context);
  }
  const context = kc.getCurrentContext();
  const contextObject = kc.getContextObject(context);
  if (!contextObject) {
    throw new CliError(`the kubeconfig ${source} has no current context: pass --context NAME`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new CliError(`context "${context}" of the kubeconfig ${source} names no cluster it defines`);
  }
  const namespace = flags.namespace || contextObject.namespace || 'default';
  return { kc, source, context, namespace, server: cluster.server };
}
