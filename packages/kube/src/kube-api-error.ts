// Errors the API server answers, as one typed error parsed from its Status body.

/** A `kind: Status` object as the API server sends it. */
export interface KubeStatus {
  kind?: 'Status';
  apiVersion?: string;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    retryAfterSeconds?: number;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    /** The HTTP status code (404, 409, 410, 422...). */
    readonly code: number,
    /** The Status reason (NotFound, AlreadyExists, Conflict, Expired, Invalid...), or the HTTP reason. */
    readonly reason: string,
    message: string,
    /** The Status body, when the server sent one. */
    readonly status: KubeStatus | undefined,
    /** From the Retry-After header or the Status details, when given. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The error of an HTTP answer: its Status body when it is one, else the code and the text. */
  static fromResponse(
    httpCode: number,
    body: unknown,
    context: string,
    retryAfterHeader?: string,
  ): KubeApiError {
    const header = retryAfterHeader !== undefined ? Number(retryAfterHeader) : Number.NaN;
    if (isStatus(body)) {
      const code = typeof body.code === 'number' && body.code > 0 ? body.code : httpCode;
      const retry = Number.isFinite(header) ? header : body.details?.retryAfterSeconds;
      return new KubeApiError(
        code,
        body.reason || reasonOfCode(code),
        body.message || `${context}: HTTP ${code}`,
        body,
        retry,
      );
    }
    const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : `HTTP ${httpCode}`;
    return new KubeApiError(
      httpCode,
      reasonOfCode(httpCode),
      `${context}: ${text}`,
      undefined,
      Number.isFinite(header) ? header : undefined,
    );
  }
}

export function isStatus(value: unknown): value is KubeStatus {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

function reasonOfCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

function apiError(err: unknown): KubeApiError | undefined {
  return err instanceof KubeApiError ? err : undefined;
}

export const isNotFound = (err: unknown): boolean => apiError(err)?.code === 404;
export const isAlreadyExists = (err: unknown): boolean =>
  apiError(err)?.code === 409 && apiError(err)?.reason === 'AlreadyExists';
/** A write refused for a stale resourceVersion (409 Conflict, not AlreadyExists). */
export const isConflict = (err: unknown): boolean =>
  apiError(err)?.code === 409 && apiError(err)?.reason !== 'AlreadyExists';
/** 410 Gone/Expired: a watch or list from a resourceVersion older than the server's history. */
export const isGone = (err: unknown): boolean => apiError(err)?.code === 410;
