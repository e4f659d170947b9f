/**
 * The kubeconfig a testkit cluster hands out: plain http, a token user, context `testkit`.
 * `insecure-skip-tls-verify` is set because @kubernetes/client-node refuses http:// servers without it
 * (kubectl does not mind either way).
 */
import YAML from 'yaml';

export const TESTKIT_TOKEN = 'testkit-token';

export function kubeconfigYaml(url: string, namespace = 'default'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'testkit', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'testkit', user: { token: TESTKIT_TOKEN } }],
    contexts: [{ name: 'testkit', context: { cluster: 'testkit', user: 'testkit', namespace } }],
    'current-context': 'testkit',
    preferences: {},
  });
}
