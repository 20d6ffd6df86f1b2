/*
 * Calls to the two APIs, both fronted by the player's own server under one origin:
 * /api/commands → the command API, /api/queries → the query API. Errors come back as the
 * APIs send them, `{ error, message, details }`, and are thrown as ApiError with that code.
 */

export const commandApi = '/api/commands';
export const queryApi = '/api/queries';

/** Who is calling: a viewer with their access token, or the content team or an analyst with a key. */
export type Credentials = { token: string } | { apiKey: string } | null;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's stable error code, e.g. StreamLimitReached; NetworkError when nothing answered. */
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT';
  body?: unknown;
  /** A body sent as it is (a captions file), instead of JSON. */
  rawBody?: { contentType: string; text: string };
  credentials?: Credentials;
  /** Makes a POST safe to retry: the API answers a repeat with its first answer. */
  idempotencyKey?: string;
  /** Survives the page being closed (the last heartbeat and the stop). */
  keepalive?: boolean;
  signal?: AbortSignal;
};

const headersFor = (options: RequestOptions): Record<string, string> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.rawBody) headers['content-type'] = options.rawBody.contentType;
  const credentials = options.credentials;
  if (credentials && 'token' in credentials) headers.authorization = `Bearer ${credentials.token}`;
  if (credentials && 'apiKey' in credentials) headers['x-api-key'] = credentials.apiKey;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return headers;
};

const errorFrom = async (response: Response): Promise<ApiError> => {
  const body = (await response.json().catch(() => null)) as {
    error?: unknown;
    message?: unknown;
    details?: unknown;
  } | null;
  const code = typeof body?.error === 'string' ? body.error : `Http${response.status}`;
  const message =
    typeof body?.message === 'string' ? body.message : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiError(response.status, code, message, body?.details ?? null);
};

export const apiRequest = async <T>(base: string, path: string, options: RequestOptions = {}): Promise<T> => {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method: options.method ?? (options.body === undefined && !options.rawBody ? 'GET' : 'POST'),
      headers: headersFor(options),
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(options.rawBody && { body: options.rawBody.text }),
      ...(options.keepalive && { keepalive: true }),
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NetworkError', 'Marquee cannot be reached right now; check your connection and try again.');
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
};

/** A fresh Idempotency-Key (a UUID). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** `?a=1&b=2` from the defined values only. */
export const queryString = (params: Record<string, string | number | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};
