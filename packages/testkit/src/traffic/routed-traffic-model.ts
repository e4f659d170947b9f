// Traffic that follows the routes: the steady request rate, split into classes of requests
// (request-mix.ts), each sent where the router's model decides (route-decision.ts), then over the
// ready pods of the Service it reaches (only those with a subset's labels, when the destination
// names one); mirrored copies go to the mirror Service's pods. Counters are kept per (backend
// Service, pod), client-facing and mirrored apart, and the data plane's own answers (404, 500, 503,
// ...) per (backend, code). Pure and deterministic: the caller says how much
// time passed, and every split carries its fractions (weighted-carry.ts) — no randomness.
import type { RequestClass } from './request-mix';
import type { Destination, Router, RoutingProblem } from './route-decision';
import type { ServiceWorld, Subset } from './service-endpoints';
import { imageAnswersWithErrors, type PodView, type RejectRule } from './traffic-model';
import { WeightedCarry } from './weighted-carry';

export interface BackendPodCounts {
  /** The Service through which the pod received the requests. */
  backend: string;
  pod: string;
  version: string;
  /** Client-facing requests received and rejected. */
  received: number;
  rejected: number;
  /** Mirrored copies received and rejected (their answers never reach a client). */
  mirrored: number;
  mirroredRejected: number;
}

export interface AnswerCounts {
  /** The Service the requests were meant for ('' when none). */
  backend: string;
  code: string;
  count: number;
}

/** How one class of requests was routed at the last tick. */
export interface RouteUse {
  request: string;
  share: number;
  rule: string;
  destinations: { to: string; weight: number; share: number }[];
  mirrors: { service: string; subset?: string; fraction: number }[];
}

export interface RoutedCounts {
  /** Requests sent since the start. */
  sent: number;
  pods: BackendPodCounts[];
  answers: AnswerCounts[];
  /** Mirrored copies the mirror Service had no ready pod for, since the start. */
  mirrorsDropped: number;
  routes: RouteUse[];
  problems: RoutingProblem[];
}

const EPSILON = 1e-9;

interface Counter extends BackendPodCounts {
  rejectCarry: number;
  mirrorRejectCarry: number;
}

export class RoutedTrafficModel {
  private readonly carry = new WeightedCarry();
  private readonly counters = new Map<string, Counter>();
  private readonly answers = new Map<string, AnswerCounts>();
  private requestCarry = 0;
  private sent = 0;
  private mirrorsDropped = 0;
  private routes: RouteUse[] = [];
  private problems: RoutingProblem[] = [];

  constructor(
    private readonly requestsPerSecond: number,
    private readonly rule: RejectRule,
    private readonly requests: readonly RequestClass[],
  ) {}

  /** Sends `seconds` worth of traffic through `router` into `world`; returns the counts so far. */
  advance(router: Router, world: ServiceWorld, seconds: number): RoutedCounts {
    const owed = this.requestCarry + Math.max(0, this.requestsPerSecond * seconds);
    const whole = Math.floor(owed + EPSILON);
    this.requestCarry = owed - whole;
    this.sent += whole;
    const perClass = this.carry.split(
      'classes',
      whole,
      this.requests.map((r) => ({ id: r.id, weight: r.share })),
    );
    const delivered = new Map<string, Delivery>();
    const mirrored = new Map<string, Delivery>();
    const add = (map: Map<string, Delivery>, to: { service: string; subset?: Subset }, n: number) => {
      const key = deliveryKey(to.service, to.subset);
      const d = map.get(key) ?? { service: to.service, ...(to.subset ? { subset: to.subset } : {}), n: 0 };
      d.n += n;
      map.set(key, d);
    };
    this.routes = [];
    for (const request of this.requests) {
      const n = perClass.get(request.id) ?? 0;
      const decision = router.decide(request);
      const key = `${request.id}\0${decision.rule}`;
      const ids = decision.destinations.map((d, i) => `${i}\0${destinationKey(d.destination)}`);
      const counts = this.carry.split(
        `destinations\0${key}`,
        n,
        decision.destinations.map((d, i) => ({ id: ids[i]!, weight: d.weight })),
      );
      decision.destinations.forEach((d, i) => {
        const c = counts.get(ids[i]!) ?? 0;
        if (d.destination.kind === 'pods') add(delivered, d.destination, c);
        else this.answer(d.destination.service, d.destination.code, c);
        for (const m of d.mirrors)
          add(mirrored, m, this.carry.take(`mirror\0${key}\0${ids[i]}\0${m.id}`, c, m.fraction));
      });
      for (const m of decision.mirrors)
        add(mirrored, m, this.carry.take(`mirror\0${key}\0${m.id}`, n, m.fraction));
      this.routes.push(routeUse(request, decision.rule, decision.destinations, decision.mirrors));
    }
    this.problems = [...router.problems];
    this.forgetGonePods(world.pods);
    for (const [key, d] of delivered) {
      const pods = world.endpoints(d.service, d.subset?.labels);
      if (pods.length === 0) this.answer(d.service, 'refused', d.n);
      else this.deliver(key, d.service, pods, d.n, false);
    }
    for (const [key, d] of mirrored) {
      const pods = world.endpoints(d.service, d.subset?.labels);
      if (pods.length === 0) this.mirrorsDropped += d.n;
      else this.deliver(key, d.service, pods, d.n, true);
    }
    this.carry.sweep();
    return this.snapshot();
  }

  snapshot(): RoutedCounts {
    return {
      sent: this.sent,
      pods: [...this.counters.values()].map((c) => ({
        backend: c.backend,
        pod: c.pod,
        version: c.version,
        received: c.received,
        rejected: c.rejected,
        mirrored: c.mirrored,
        mirroredRejected: c.mirroredRejected,
      })),
      answers: [...this.answers.values()].map((a) => ({ ...a })),
      mirrorsDropped: this.mirrorsDropped,
      routes: this.routes,
      problems: this.problems,
    };
  }

  /** Client-facing rejected / received over the pods present (NaN without traffic), as the seed query computes it. */
  rejectRatio(): number {
    let received = 0;
    let rejected = 0;
    for (const c of this.counters.values()) {
      received += c.received;
      rejected += c.rejected;
    }
    return rejected / received;
  }

  /** `key` names the Service and subset (its carried fractions); the pods count under `service`. */
  private deliver(key: string, service: string, pods: readonly PodView[], n: number, mirror: boolean): void {
    const counts = this.carry.split(
      `${mirror ? 'mirror-pods' : 'pods'}\0${key}`,
      n,
      pods.map((p) => ({ id: p.name, weight: 1 })),
    );
    const isBad = this.rule.bad ?? imageAnswersWithErrors;
    for (const pod of pods) {
      const c = counts.get(pod.name) ?? 0;
      const counter = this.counter(service, pod);
      const ratio = isBad(pod.image) ? this.rule.badRatio : this.rule.goodRatio;
      if (mirror) {
        counter.mirrored += c;
        counter.mirrorRejectCarry += c * ratio;
        const rejected = Math.floor(counter.mirrorRejectCarry + EPSILON);
        counter.mirrorRejectCarry -= rejected;
        counter.mirroredRejected += rejected;
      } else {
        counter.received += c;
        counter.rejectCarry += c * ratio;
        const rejected = Math.floor(counter.rejectCarry + EPSILON);
        counter.rejectCarry -= rejected;
        counter.rejected += rejected;
      }
    }
  }

  private counter(backend: string, pod: PodView): Counter {
    const key = `${backend}\0${pod.name}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = {
        backend,
        pod: pod.name,
        version: pod.version,
        received: 0,
        rejected: 0,
        mirrored: 0,
        mirroredRejected: 0,
        rejectCarry: 0,
        mirrorRejectCarry: 0,
      };
      this.counters.set(key, counter);
    }
    return counter;
  }

  private answer(backend: string, code: string, n: number): void {
    const key = `${backend}\0${code}`;
    const answer = this.answers.get(key) ?? { backend, code, count: 0 };
    answer.count += n;
    this.answers.set(key, answer);
  }

  /** A pod that is gone takes its counters with it, as a real pod's series go with it. */
  private forgetGonePods(pods: readonly PodView[]): void {
    const present = new Set(pods.map((p) => p.name));
    for (const [key, c] of this.counters) if (!present.has(c.pod)) this.counters.delete(key);
  }
}

/** Requests (or copies) for a Service's pods, or a subset of them, this tick. */
interface Delivery {
  service: string;
  subset?: Subset;
  n: number;
}

function deliveryKey(service: string, subset: Subset | undefined): string {
  return subset === undefined ? service : `${service}\0${subset.name}`;
}

function destinationKey(d: Destination): string {
  return d.kind === 'pods' ? `pods:${deliveryKey(d.service, d.subset)}` : `answer:${d.service}:${d.code}`;
}

function describe(d: Destination): string {
  if (d.kind !== 'pods') return `${d.code} (${d.reason})`;
  return d.subset === undefined ? `Service ${d.service}` : `Service ${d.service} subset ${d.subset.name}`;
}

function routeUse(
  request: RequestClass,
  rule: string,
  destinations: readonly { weight: number; destination: Destination }[],
  mirrors: readonly { service: string; subset?: Subset; fraction: number }[],
): RouteUse {
  const total = destinations.reduce((sum, d) => sum + Math.max(0, d.weight), 0);
  return {
    request: request.id,
    share: request.share,
    rule,
    destinations: destinations.map((d) => ({
      to: describe(d.destination),
      weight: d.weight,
      share: total > 0 ? Math.max(0, d.weight) / total : 0,
    })),
    mirrors: mirrors.map((m) => ({
      service: m.service,
      ...(m.subset !== undefined ? { subset: m.subset.name } : {}),
      fraction: m.fraction,
    })),
  };
}
