/**
 * What a log line may say about a request. Callers put API keys in the wrong
 * place (X-Api-Key, Proxy-Authorization, ?access_token=...), and a deny-list
 * of redacted paths only catches the places someone thought of. So headers
 * are logged from an allow-list (others by name only), and the query string
 * keeps its parameter names but never their values.
 */
const LOGGED_HEADERS = new Set([
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'x-request-id',
]);

/** Present, never shown: the one place a key belongs. */
const MASKED_HEADERS = new Set(['authorization']);

interface LoggableRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
}

export interface SafeRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers: Record<string, unknown>;
  /** Names of headers left out (values never logged). */
  otherHeaders?: string[];
}

export function withoutQueryValues(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const names = url
    .slice(mark + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0]);
  return `${url.slice(0, mark)}?${names.join('&')}`;
}

/** A pino serializer for `req` (raw IncomingMessage or pino-http's serialized form). */
export function safeRequest(req: LoggableRequest): SafeRequest {
  const headers: Record<string, unknown> = {};
  const otherHeaders: string[] = [];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    const lower = name.toLowerCase();
    if (LOGGED_HEADERS.has(lower)) headers[lower] = value;
    else if (MASKED_HEADERS.has(lower)) headers[lower] = '[redacted]';
    else otherHeaders.push(lower);
  }
  return {
    id: req.id,
    method: req.method,
    url: req.url === undefined ? undefined : withoutQueryValues(req.url),
    headers,
    ...(otherHeaders.length > 0 ? { otherHeaders } : {}),
  };
}
