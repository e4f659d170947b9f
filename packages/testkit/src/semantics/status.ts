/** `kind: Status` failures shaped like the real API server's, and the error that carries them. */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group and a resource (plural) or kind, as the server names things in messages: `rollouts.argoproj.io`. */
export interface Qualified {
  group: string;
  name: string;
}

export function qualifiedString(q: Qualified): string {
  return q.group ? `${q.name}.${q.group}` : q.name;
}

function details(
  q: Qualified | undefined,
  name: string | undefined,
  extra: StatusDetails = {},
): StatusDetails {
  const out: StatusDetails = {};
  if (name) out.name = name;
  if (q?.group) out.group = q.group;
  if (q) out.kind = q.name;
  return { ...out, ...extra };
}

export class ApiError extends Error {
  constructor(
    readonly status: Status,
    readonly headers: Record<string, string> = {},
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
  }

  get code(): number {
    return this.status.code;
  }
}

export function failure(code: number, reason: string, message: string, d?: StatusDetails): Status {
  const withDetails = d && Object.keys(d).length > 0 ? { details: d } : {};
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...withDetails,
    code,
  };
}

export function success(d: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: d, code: 200 };
}

export function notFound(resource: Qualified, name: string): ApiError {
  return new ApiError(
    failure(404, 'NotFound', `${qualifiedString(resource)} "${name}" not found`, details(resource, name)),
  );
}

export function alreadyExists(resource: Qualified, name: string): ApiError {
  return new ApiError(
    failure(
      409,
      'AlreadyExists',
      `${qualifiedString(resource)} "${name}" already exists`,
      details(resource, name),
    ),
  );
}

export function conflict(resource: Qualified, name: string, why?: string): ApiError {
  const reason =
    why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  const message = `Operation cannot be fulfilled on ${qualifiedString(resource)} "${name}": ${reason}`;
  return new ApiError(failure(409, 'Conflict', message, details(resource, name)));
}

/** 422: `kind` is qualified by kind (Rollout.argoproj.io), not by resource, as the real server does. */
export function invalid(kind: Qualified, name: string, causes: StatusCause[]): ApiError {
  const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : (c.message ?? '')));
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const message = `${qualifiedString(kind)} "${name}" is invalid: ${list}`;
  return new ApiError(failure(422, 'Invalid', message, details(kind, name, { causes })));
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function forbidden(resource: Qualified, name: string, why: string, causes?: StatusCause[]): ApiError {
  const message = `${qualifiedString(resource)} "${name}" is forbidden: ${why}`;
  return new ApiError(failure(403, 'Forbidden', message, details(resource, name, causes ? { causes } : {})));
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
  );
}

export function unsupportedMediaType(message: string): ApiError {
  return new ApiError(failure(415, 'UnsupportedMediaType', message));
}

export function notAcceptable(message: string): ApiError {
  return new ApiError(failure(406, 'NotAcceptable', message));
}

export function gone(message: string): ApiError {
  return new ApiError(failure(410, 'Expired', message));
}

export function pathNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
}

/** 422 from a patch that could not be applied (a failed JSON-patch `test`, a bad path), as the real server. */
export function patchRejected(serverMessage: string): ApiError {
  return new ApiError(
    failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {
      causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }],
    }),
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(
    failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  );
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(failure(503, 'ServiceUnavailable', message));
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    failure(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds }),
    { 'Retry-After': String(retryAfterSeconds) },
  );
}
