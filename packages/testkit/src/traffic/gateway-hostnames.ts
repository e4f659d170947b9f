// A Gateway API route's `hostnames` against the request's host (the Host header for HTTPRoute and
// GRPCRoute, the SNI name for TLSRoute). A route without hostnames accepts every host; the
// traffic's requests without a host (no --host) are taken to carry one the route accepts. A name
// compares case-insensitively; `*.example.com` is a suffix match: `a.example.com` and
// `a.b.example.com`, never `example.com`. The listener's own hostname is not modelled (no Gateway
// is read).
import type { ProblemList } from './route-decision';

export function routeAcceptsHost(
  hostnames: unknown,
  host: string | undefined,
  field: string,
  problems: ProblemList,
): boolean {
  if (hostnames === undefined || hostnames === null) return true;
  if (!Array.isArray(hostnames)) {
    problems.add(field, 'expected a list of hostnames; read as none');
    return true;
  }
  const names = hostnames.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase());
  if (names.length !== hostnames.length) problems.add(field, 'every hostname must be a string');
  if (names.length === 0 || host === undefined) return true;
  return names.some((name) =>
    name.startsWith('*.') ? host.endsWith(name.slice(1)) && host.length > name.length - 1 : name === host,
  );
}
