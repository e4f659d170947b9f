// The Gateway API plugin's configuration (`trafficRouting.plugins["argoproj-labs/gatewayAPI"]`):
// checked against its schema like the rest of the spec, then with the rules the plugin enforces when
// it reads it (at least one route; every listed route has a name) and the label syntax its
// in-progress label must have for the route to be written.
import { GatewayAPIPluginConfig } from '../schema/gateway-api-plugin';
import { labelKeyProblem, labelValueProblem } from '../values/labels';
import { type Findings, joinPath } from './findings';
import { checkSchema, isPlainObject } from './schema-check';

/** The route kinds, each with the config fields that name or find its routes. */
export const GATEWAY_ROUTE_KINDS = [
  { kind: 'HTTPRoute', one: 'httpRoute', many: 'httpRoutes', selector: 'httpRouteSelector' },
  { kind: 'GRPCRoute', one: 'grpcRoute', many: 'grpcRoutes', selector: 'grpcRouteSelector' },
  { kind: 'TCPRoute', one: 'tcpRoute', many: 'tcpRoutes', selector: 'tcpRouteSelector' },
  { kind: 'TLSRoute', one: 'tlsRoute', many: 'tlsRoutes', selector: 'tlsRouteSelector' },
] as const;

/** The plugin's own words when it finds no route (its GatewayAPIManifestError). */
const NO_ROUTES =
  "No routes configured. At least one of 'httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes', 'httpRoute', 'grpcRoute', 'tcpRoute' or 'tlsRoute' must be set";

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Whether the config names a route or gives a selector to find some, as the plugin counts them. */
function hasRoutes(config: Record<string, unknown>): boolean {
  return GATEWAY_ROUTE_KINDS.some(
    (k) =>
      nonEmpty(config[k.one]) ||
      (Array.isArray(config[k.many]) && (config[k.many] as unknown[]).length > 0) ||
      isPlainObject(config[k.selector]),
  );
}

function checkRouteNames(config: Record<string, unknown>, path: string, findings: Findings): void {
  for (const k of GATEWAY_ROUTE_KINDS) {
    if (config[k.one] === '') {
      findings.error(joinPath(path, k.one), `is empty; give the ${k.kind}'s name, or remove the field`);
    }
    const routes = config[k.many];
    if (!Array.isArray(routes)) continue;
    routes.forEach((route, i) => {
      if (isPlainObject(route) && route.name === '') {
        findings.error(
          joinPath(joinPath(joinPath(path, k.many), i), 'name'),
          `is empty; give the ${k.kind}'s name (the plugin requires it)`,
          'required',
        );
      }
    });
  }
}

function checkSelectorOperators(config: Record<string, unknown>, path: string, findings: Findings): void {
  for (const k of GATEWAY_ROUTE_KINDS) {
    const selector = config[k.selector];
    if (!isPlainObject(selector) || !Array.isArray(selector.matchExpressions)) continue;
    selector.matchExpressions.forEach((e, i) => {
      if (!isPlainObject(e) || typeof e.operator !== 'string' || SELECTOR_OPERATORS.includes(e.operator))
        return;
      findings.error(
        joinPath(joinPath(joinPath(joinPath(path, k.selector), 'matchExpressions'), i), 'operator'),
        `"${e.operator}" is not an operator; use one of ${SELECTOR_OPERATORS.join(', ')}`,
      );
    });
  }
}

function checkInProgressLabel(config: Record<string, unknown>, path: string, findings: Findings): void {
  const key = config.inProgressLabelKey;
  if (nonEmpty(key)) {
    const problem = labelKeyProblem(key);
    if (problem) findings.error(joinPath(path, 'inProgressLabelKey'), `label key "${key}" ${problem}`);
  }
  const value = config.inProgressLabelValue;
  if (typeof value === 'string') {
    const problem = labelValueProblem(value);
    if (problem) findings.error(joinPath(path, 'inProgressLabelValue'), `label value "${value}" ${problem}`);
  }
}

/** Checks the plugin's configuration, found at `path` (`...plugins["argoproj-labs/gatewayAPI"]`). */
export function checkGatewayApiConfig(config: unknown, path: string, findings: Findings): void {
  checkSchema(config, GatewayAPIPluginConfig as unknown as Record<string, unknown>, path, findings);
  if (!isPlainObject(config)) return;
  if (!hasRoutes(config)) {
    findings.error(
      path,
      `names no route: the plugin refuses it ("${NO_ROUTES}"); name the route whose backendRefs carry the canary split, e.g. "httpRoute: <name>", or find routes with a label selector such as httpRouteSelector`,
      'required',
    );
  }
  checkRouteNames(config, path, findings);
  checkSelectorOperators(config, path, findings);
  checkInProgressLabel(config, path, findings);
}
