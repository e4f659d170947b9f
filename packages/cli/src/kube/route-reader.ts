// Reads a Rollout's routing objects with the user's credentials, bounded: one request per kind and
// namespace each time (a GET when one object of the kind is named, else one LIST, filtered here), at the
// API version the cluster serves (found once, then remembered). Nothing it meets is thrown: a missing
// object, a 403, a kind the cluster does not serve or any other failure becomes that object's problem.
import { type LabelSelector, selectorMatches } from '@ramp/api';
import type { ResourceType } from '@ramp/kube';
import { type KubeObj, type RolloutObj, selectorString } from './model';
import { qualifiedName, ROUTE_RESOURCES, type RouteKind } from './route-kinds';
import { type RouteTarget, routeTargets } from './routing-targets';
import { apiError, type Session } from './session';

/** A routing object as the API server sends it. */
export interface RouteObj extends KubeObj {
  spec?: unknown;
}

export type ReadProblemReason = 'NotFound' | 'Forbidden' | 'NotServed' | 'Unreadable' | 'NoMatch';

export interface ReadProblem {
  reason: ReadProblemReason;
  /** The request that failed: `get` or `list`. */
  verb: 'get' | 'list';
  /** `httproutes.gateway.networking.k8s.io`. */
  resource: string;
  /** The versions asked for, when the kind is not served (`group/version` when not the resource's group). */
  versions?: string[];
  /** What the server (or the network) said, for Unreadable. */
  message?: string;
}

/** One routing object read: found, or why not (a selector that matches nothing is one read too). */
export type RouteRead = { target: RouteTarget } & ({ object: RouteObj } | { problem: ReadProblem });

type Answer<T> = { value: T } | { error: unknown; notServed: boolean };

/** A 404 that says the resource (this group/version/plural) is not served, not that an object is missing. */
function notServed(err: unknown): boolean {
  const api = apiError(err);
  return api?.code === 404 && api.status?.details?.name === undefined;
}

function problemOf(
  err: unknown,
  verb: 'get' | 'list',
  kind: RouteKind,
  notServedAtAll: boolean,
): ReadProblem {
  const resources = ROUTE_RESOURCES[kind];
  const resource = qualifiedName(resources[0]!);
  if (notServedAtAll) {
    // a version of another group (TraefikService's traefik.containo.us) is named with its group
    const first = resources[0]!.group;
    const versions = resources.map((r) => (r.group === first ? r.version : `${r.group}/${r.version}`));
    return { reason: 'NotServed', verb, resource, versions };
  }
  const api = apiError(err);
  if (api?.code === 404) return { reason: 'NotFound', verb, resource };
  if (api?.code === 403) return { reason: 'Forbidden', verb, resource };
  const message = api ? api.message : err instanceof Error ? err.message : String(err);
  return { reason: 'Unreadable', verb, resource, message };
}

const sameGroup = (a: RouteTarget, b: RouteTarget) => a.kind === b.kind && a.namespace === b.namespace;

/** The objects of a LIST that `target` stands for. */
function pick(target: RouteTarget, group: readonly RouteTarget[], items: readonly RouteObj[]): RouteRead[] {
  if (target.name !== undefined) {
    const object = items.find((o) => o.metadata.name === target.name);
    const resource = qualifiedName(ROUTE_RESOURCES[target.kind][0]!);
    return [
      object ? { target, object } : { target, problem: { reason: 'NotFound', verb: 'list', resource } },
    ];
  }
  const named = new Set(group.map((t) => t.name).filter((n) => n !== undefined));
  const selector = target.selector as LabelSelector;
  const found = items
    .filter((o) => !o.metadata.deletionTimestamp && !named.has(o.metadata.name))
    .filter((o) => selectorMatches(selector, o.metadata.labels))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (found.length === 0) {
    const resource = qualifiedName(ROUTE_RESOURCES[target.kind][0]!);
    return [{ target, problem: { reason: 'NoMatch', verb: 'list', resource } }];
  }
  return found.map((object) => ({ target: { ...target, name: object.metadata.name }, object }));
}

export class RouteReader {
  /** The version of each kind that answered last; tried first from then on. */
  private readonly served = new Map<RouteKind, ResourceType>();

  constructor(private readonly session: Session) {}

  /** The Rollout's routing objects, in the order of its routers; empty without trafficRouting. */
  async read(ro: RolloutObj): Promise<RouteRead[]> {
    const targets = routeTargets(ro, this.session.namespace);
    const groups: RouteTarget[][] = [];
    for (const t of targets) {
      const group = groups.find((g) => sameGroup(g[0]!, t));
      if (group) group.push(t);
      else groups.push([t]);
    }
    const answers = new Map<RouteTarget, RouteRead[]>();
    await Promise.all(
      groups.map(async (group) => {
        const reads = await this.readGroup(group).catch((err: unknown) => {
          const problem = problemOf(err, 'list', group[0]!.kind, false);
          return group.map((target) => [{ target, problem }]);
        });
        for (const [i, t] of group.entries()) answers.set(t, reads[i]!);
      }),
    );
    return targets.flatMap((t) => answers.get(t) ?? []);
  }

  /** The reads of targets of one kind in one namespace: one GET, or one LIST. */
  private async readGroup(group: readonly RouteTarget[]): Promise<RouteRead[][]> {
    const { kind, namespace } = group[0]!;
    const only = group.length === 1 ? group[0]! : undefined;
    const { client } = this.session;
    if (only?.name !== undefined) {
      const name = only.name;
      const answer = await this.request(kind, (res) => client.get<RouteObj>(res, name, namespace));
      if ('value' in answer) return [[{ target: only, object: answer.value }]];
      return [[{ target: only, problem: problemOf(answer.error, 'get', kind, answer.notServed) }]];
    }
    // one selector alone: the server filters (matchLabels and expressions), and pick() checks again
    const labelSelector = only?.selector ? selectorString(only.selector) : undefined;
    const answer = await this.request(kind, (res) =>
      client.list<RouteObj>(res, { namespace, labelSelector }),
    );
    if (!('value' in answer)) {
      const problem = problemOf(answer.error, 'list', kind, answer.notServed);
      return group.map((target) => [{ target, problem }]);
    }
    return group.map((target) => pick(target, group, answer.value.items));
  }

  /** `call` at the kind's served version, trying each known version while the cluster answers "not served". */
  private async request<T>(kind: RouteKind, call: (res: ResourceType) => Promise<T>): Promise<Answer<T>> {
    const known = this.served.get(kind);
    let last: unknown;
    const order = known
      ? [known, ...ROUTE_RESOURCES[kind].filter((r) => r !== known)]
      : ROUTE_RESOURCES[kind];
    for (const res of order) {
      try {
        const value = await call(res);
        this.served.set(kind, res);
        return { value };
      } catch (err) {
        if (!notServed(err)) {
          if (apiError(err)?.code === 404) this.served.set(kind, res);
          return { error: err, notServed: false };
        }
        last = err;
      }
    }
    this.served.delete(kind);
    return { error: last, notServed: true };
  }
}
