// What the traffic's requests look like. Every request has the same host, path, method (and gRPC
// method); a share of them also carries the given headers, so header routes can be exercised
// (`--header X-Canary=yes --header-share 0.1`). The requests are modelled as classes with a share
// each, never one by one.

/** What the requests are: HTTP requests (the default), or TLS or plain TCP connections (Istio's tls and tcp routes). */
export type RequestProtocol = 'http' | 'tls' | 'tcp';

export interface RequestShape {
  /**
   * The Host header (HTTP), the SNI name (TLS). Default: none, which every hostname accepts. A `:port`
   * is the port the requests are sent to (Istio's `match.port`); other routers ignore it.
   */
  host?: string;
  /** The request path, optionally with a query string (`/api?x=1`). Default `/`. */
  path?: string;
  /** Default GET. */
  method?: string;
  /** gRPC `package.Service/Method`, for GRPCRoute matches. Default: none. */
  grpcMethod?: string;
  /** Headers carried by `headerShare` of the requests. */
  headers?: Readonly<Record<string, string>>;
  /** The share (0..1) of requests that carry `headers`; default 1 when headers are given. */
  headerShare?: number;
  /** Default http; read by the Istio VirtualService model (its http, tls or tcp routes). */
  protocol?: RequestProtocol;
}

export interface RequestClass {
  /** `with-headers` or `plain`: names the class in /status and keys its carried fractions. */
  id: string;
  /** Its share of all requests, 0..1. */
  share: number;
  protocol: RequestProtocol;
  /** Lower case, without its port. */
  host?: string;
  /** The port the requests are sent to, when the host gave one. */
  port?: number;
  /** The path without its query string. */
  path: string;
  /** Query parameters, the first value of each name. */
  query: ReadonlyMap<string, string>;
  method: string;
  grpc?: { service: string; method: string };
  /** Header values by lower-case name. */
  headers: ReadonlyMap<string, string>;
}

/** The classes of requests the shape describes: one, or two when only a share carries the headers. */
export function requestMix(shape: RequestShape = {}): RequestClass[] {
  const headers = Object.entries(shape.headers ?? {});
  const share = headers.length > 0 ? (shape.headerShare ?? 1) : 0;
  if (!(share >= 0 && share <= 1)) throw new Error(`header share must be within 0..1, got ${share}`);
  const raw = shape.path ?? '/';
  const q = raw.indexOf('?');
  const port = shape.host === undefined ? undefined : /:(\d+)$/.exec(shape.host)?.[1];
  const base = {
    protocol: shape.protocol ?? 'http',
    ...(shape.host !== undefined ? { host: shape.host.replace(/:\d+$/, '').toLowerCase() } : {}),
    ...(port !== undefined ? { port: Number(port) } : {}),
    path: q < 0 ? raw : raw.slice(0, q),
    query: parseQuery(q < 0 ? '' : raw.slice(q + 1)),
    method: (shape.method ?? 'GET').toUpperCase(),
    ...(shape.grpcMethod !== undefined ? { grpc: parseGrpcMethod(shape.grpcMethod) } : {}),
  };
  const classes: RequestClass[] = [];
  if (share > 0)
    classes.push({
      id: 'with-headers',
      share,
      ...base,
      headers: new Map(headers.map(([name, value]) => [name.toLowerCase(), value])),
    });
  if (share < 1) classes.push({ id: 'plain', share: 1 - share, ...base, headers: new Map() });
  return classes;
}

/** A header's value, by case-insensitive name. */
export function headerOf(request: RequestClass, name: string): string | undefined {
  return request.headers.get(name.toLowerCase());
}

/** A cookie's value from the request's Cookie header. */
export function cookieOf(request: RequestClass, name: string): string | undefined {
  for (const part of (headerOf(request, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** `package.Service/Method` (a leading `/` allowed, as in the HTTP/2 path). */
export function parseGrpcMethod(text: string): { service: string; method: string } {
  const m = /^\/?([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (!m) throw new Error(`expected a gRPC method as package.Service/Method, got "${text}"`);
  return { service: m[1]!, method: m[2]! };
}

function parseQuery(text: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) if (!query.has(name)) query.set(name, value);
  return query;
}
