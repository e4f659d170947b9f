/**
 * `ramp-traffic`: the traffic and metrics app (traffic-app.ts) as its own process, for the e2e suite
 * and trying Ramp by hand. Prints its URL on stdout once it listens; stops on SIGINT/SIGTERM.
 * Test and demo infrastructure, never product code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { parseGrpcMethod, type RequestShape } from './request-mix';
import { describeEntry, parseRouteEntry, type RouteEntry } from './route-entry';
import { startTrafficApp } from './traffic-app';

const USAGE = `Usage: ramp-traffic --kubeconfig FILE (--selector LABELS | --route KIND/NAME) [--namespace NS]
                    [--port N] [--rate N] [--tick MS] [--header NAME=VALUE]... [--header-share P]
                    [--host H[:PORT]] [--path P] [--method M] [--grpc-method SVC/METHOD]
                    [--protocol http|tls|tcp] [--nginx-annotation-prefix P] [--alb-annotation-prefix P]

Sends a steady request rate, either over the ready pods matching LABELS (as a Service would), or the
way a routing object says (docs/testkit.md, "Traffic that follows the routes"). A pod whose image tag
ends in "errors" rejects 50% of its requests, every other pod 0.5%. Serves the counters the seed
AnalysisTemplate queries on /metrics, the current reject ratio as JSON on /ratio (one version's pods
only with /ratio?version=HASH), and what it follows, the problems it found in the objects and how it
routes on /status.
  --kubeconfig FILE   the cluster to read pods from (required)
  --selector LABELS   label selector of the workload's pods, e.g. app=sgdecoding-online-scaled
  --route KIND/NAME   the routing object to follow: httproute/NAME, grpcroute/NAME, tcproute/NAME,
                      tlsroute/NAME, trafficsplit/NAME, virtualservice/NAME (Istio; with the
                      namespace's DestinationRules), apisixroute/NAME, traefikservice/NAME,
                      mapping/NAME (Ambassador), ingress/NAME (the stable Ingress; its ingress-nginx
                      canaries are found), alb/NAME (an Ingress of the AWS Load Balancer Controller)
                      or service/NAME
  --namespace NS      namespace of the pods and objects (default "default")
  --port N            port to listen on, on 127.0.0.1 (default 0: a free port, printed on stdout)
  --rate N            requests per second (default 100)
  --tick MS           how often the objects are read and the counters advanced (default 250)
With --route, what the requests look like:
  --header NAME=VALUE a header carried by --header-share of the requests (repeatable)
  --header-share P    the share of requests (0..1) that carry the headers (default 1)
  --host H[:PORT]     the Host header / TLS SNI name (default: none, which every route accepts;
                      for an Ingress, the host of its first rule; for a VirtualService, its first
                      host); PORT is the port the requests are sent to (Istio's match.port)
  --path P            the path, with an optional ?query (default /)
  --method M          the HTTP method (default GET)
  --grpc-method S/M   the gRPC method, package.Service/Method (default: none)
  --protocol P        http (default), tls or tcp: which routes of a VirtualService take them
  --nginx-annotation-prefix P  ingress-nginx's annotation prefix (default nginx.ingress.kubernetes.io)
  --alb-annotation-prefix P    the AWS Load Balancer Controller's (default alb.ingress.kubernetes.io)
`;

class UsageError extends Error {}

export interface TrafficCliArgs {
  kubeconfig: string;
  /** Exactly one of selector and route. */
  selector?: string;
  route?: RouteEntry;
  namespace: string;
  port: number;
  rate: number;
  tickMs: number;
  requests?: RequestShape;
  nginxAnnotationPrefix?: string;
  albAnnotationPrefix?: string;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The options as given on the command line. */
interface OptionValues {
  kubeconfig?: string;
  selector?: string;
  route?: string;
  namespace?: string;
  port?: string;
  rate?: string;
  tick?: string;
  header?: string[];
  'header-share'?: string;
  host?: string;
  path?: string;
  method?: string;
  'grpc-method'?: string;
  protocol?: string;
  'nginx-annotation-prefix'?: string;
  'alb-annotation-prefix'?: string;
  help?: boolean;
}

/** The arguments, or undefined for --help; throws UsageError on anything wrong. */
export function parseTrafficArgs(argv: string[]): TrafficCliArgs | undefined {
  let values: OptionValues;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        kubeconfig: { type: 'string' },
        selector: { type: 'string', short: 'l' },
        route: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        port: { type: 'string' },
        rate: { type: 'string' },
        tick: { type: 'string' },
        header: { type: 'string', multiple: true },
        'header-share': { type: 'string' },
        host: { type: 'string' },
        path: { type: 'string' },
        method: { type: 'string' },
        'grpc-method': { type: 'string' },
        protocol: { type: 'string' },
        'nginx-annotation-prefix': { type: 'string' },
        'alb-annotation-prefix': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return undefined;
  if (!values.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
  if ((values.selector === undefined) === (values.route === undefined))
    throw new UsageError('exactly one of --selector LABELS and --route KIND/NAME is required');
  if (values.selector === '') throw new UsageError('--selector: must not be empty');
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: invalid port "${values.port}"`);
  const rate = Number(values.rate ?? '100');
  if (!Number.isFinite(rate) || rate <= 0)
    throw new UsageError(`--rate: expected a positive number of requests per second, got "${values.rate}"`);
  const tickMs = Number(values.tick ?? '250');
  if (!Number.isFinite(tickMs) || tickMs < 10)
    throw new UsageError(`--tick: expected at least 10 milliseconds, got "${values.tick}"`);
  const namespace = values.namespace ?? 'default';
  if (namespace === '') throw new UsageError('--namespace: must not be empty');
  const common = { kubeconfig: path.resolve(values.kubeconfig), namespace, port, rate, tickMs };
  const routeOnly = [
    'header',
    'header-share',
    'host',
    'path',
    'method',
    'grpc-method',
    'protocol',
    'nginx-annotation-prefix',
    'alb-annotation-prefix',
  ] as const;
  if (values.selector !== undefined) {
    const given = routeOnly.find((o) => values[o] !== undefined);
    if (given) throw new UsageError(`--${given} applies to --route only`);
    return { ...common, selector: values.selector };
  }
  let route: RouteEntry;
  try {
    route = parseRouteEntry(values.route!);
  } catch (err) {
    throw new UsageError(`--route: ${(err as Error).message}`);
  }
  if (values['nginx-annotation-prefix'] !== undefined && route.kind !== 'ingress')
    throw new UsageError('--nginx-annotation-prefix applies to --route ingress/NAME only');
  if (values['alb-annotation-prefix'] !== undefined && route.kind !== 'albingress')
    throw new UsageError('--alb-annotation-prefix applies to --route alb/NAME only');
  if (values.protocol !== undefined && route.kind !== 'virtualservice')
    throw new UsageError('--protocol applies to --route virtualservice/NAME only');
  return {
    ...common,
    route,
    requests: requestShape(values),
    ...(values['nginx-annotation-prefix'] !== undefined
      ? { nginxAnnotationPrefix: values['nginx-annotation-prefix'] }
      : {}),
    ...(values['alb-annotation-prefix'] !== undefined
      ? { albAnnotationPrefix: values['alb-annotation-prefix'] }
      : {}),
  };
}

function requestShape(values: OptionValues): RequestShape {
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const eq = h.indexOf('=');
    const name = eq < 0 ? h : h.slice(0, eq);
    if (eq < 0 || !HEADER_NAME.test(name)) throw new UsageError(`--header: expected NAME=VALUE, got "${h}"`);
    headers[name] = h.slice(eq + 1);
  }
  const shape: RequestShape = {};
  if (Object.keys(headers).length > 0) shape.headers = headers;
  if (values['header-share'] !== undefined) {
    const share = Number(values['header-share']);
    if (!shape.headers) throw new UsageError('--header-share needs at least one --header');
    if (values['header-share'].trim() === '' || !(share >= 0 && share <= 1))
      throw new UsageError(`--header-share: expected a number within 0..1, got "${values['header-share']}"`);
    shape.headerShare = share;
  }
  if (values.host !== undefined) {
    if (!/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:\d+)?$/.test(values.host))
      throw new UsageError(`--host: expected a host name, got "${values.host}"`);
    shape.host = values.host;
  }
  if (values.path !== undefined) {
    if (!values.path.startsWith('/'))
      throw new UsageError(`--path: expected an absolute path, got "${values.path}"`);
    shape.path = values.path;
  }
  if (values.method !== undefined) {
    if (!/^[A-Za-z]+$/.test(values.method))
      throw new UsageError(`--method: expected an HTTP method, got "${values.method}"`);
    shape.method = values.method;
  }
  if (values['grpc-method'] !== undefined) {
    try {
      parseGrpcMethod(values['grpc-method']);
    } catch (err) {
      throw new UsageError(`--grpc-method: ${(err as Error).message}`);
    }
    shape.grpcMethod = values['grpc-method'];
  }
  if (values.protocol !== undefined) {
    if (values.protocol !== 'http' && values.protocol !== 'tls' && values.protocol !== 'tcp')
      throw new UsageError(`--protocol: expected http, tls or tcp, got "${values.protocol}"`);
    shape.protocol = values.protocol;
  }
  return shape;
}

async function main(argv: string[]): Promise<number> {
  let args: TrafficCliArgs | undefined;
  try {
    args = parseTrafficArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ramp-traffic: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (!args) {
    process.stdout.write(USAGE);
    return 0;
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(readFileSync(args.kubeconfig, 'utf8'));
  } catch (err) {
    process.stderr.write(
      `ramp-traffic: cannot read the kubeconfig ${args.kubeconfig}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  let app: Awaited<ReturnType<typeof startTrafficApp>>;
  try {
    app = await startTrafficApp({
      kubeConfig,
      namespace: args.namespace,
      ...(args.selector !== undefined ? { selector: args.selector } : {}),
      ...(args.route !== undefined ? { route: args.route } : {}),
      ...(args.requests !== undefined ? { requests: args.requests } : {}),
      ...(args.nginxAnnotationPrefix !== undefined
        ? { nginxAnnotationPrefix: args.nginxAnnotationPrefix }
        : {}),
      ...(args.albAnnotationPrefix !== undefined ? { albAnnotationPrefix: args.albAnnotationPrefix } : {}),
      requestsPerSecond: args.rate,
      port: args.port,
      tickMs: args.tickMs,
    });
  } catch (err) {
    process.stderr.write(`ramp-traffic: ${(err as Error).message}\n`);
    return 1;
  }
  const following =
    args.route !== undefined
      ? `the way ${describeEntry(args.route, args.namespace)} routes them`
      : `over the ready pods of ${args.namespace}/${args.selector}`;
  process.stderr.write(
    `ramp-traffic: ${args.rate} requests/s ${following}; ` +
      `${app.url}/metrics, ${app.url}/ratio and ${app.url}/status\n`,
  );
  process.stdout.write(`${app.url}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`ramp-traffic: ${signal}: stopping\n`);
  await app.close();
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`ramp-traffic: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
