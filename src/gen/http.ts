/**
 * HTTP/1.1 request and response heads (RFC 9112) as TCP payload bytes.
 */

export interface HttpRequestSpec {
  method?: string;
  path?: string;
  host: string;
  userAgent?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string | Uint8Array;
}

export interface HttpResponseSpec {
  status?: number;
  reason?: string;
  contentType?: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  /** The body, or a number of filler bytes. */
  body?: string | Uint8Array | number;
}

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

const REASONS: Record<number, string> = {
  200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error',
};

function bodyBytes(body: string | Uint8Array | number | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'number') {
    // Readable filler so that hex dumps of generated captures look like text, deterministically.
    const b = Buffer.alloc(body);
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. ';
    for (let i = 0; i < body; i++) b[i] = text.charCodeAt(i % text.length);
    return b;
  }
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

/** Builds a request: request line, Host, User-Agent, Accept, extra headers, blank line, body. */
export function httpRequest(spec: HttpRequestSpec): Buffer {
  const body = bodyBytes(spec.body);
  const lines = [
    `${spec.method ?? 'GET'} ${spec.path ?? '/'} HTTP/1.1`,
    `Host: ${spec.host}`,
    `User-Agent: ${spec.userAgent ?? DEFAULT_USER_AGENT}`,
    'Accept: */*',
    ...(spec.headers ?? []).map(([k, v]) => `${k}: ${v}`),
  ];
  if (body.length > 0) lines.push(`Content-Length: ${body.length}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}

/** Builds a response: status line, Server, Content-Type, Content-Length, extra headers, blank line, body. */
export function httpResponse(spec: HttpResponseSpec = {}): Buffer {
  const status = spec.status ?? 200;
  const body = bodyBytes(spec.body);
  const lines = [
    `HTTP/1.1 ${status} ${spec.reason ?? REASONS[status] ?? 'Unknown'}`,
    'Server: nginx',
    `Content-Type: ${spec.contentType ?? 'text/html; charset=utf-8'}`,
    `Content-Length: ${body.length}`,
    ...(spec.headers ?? []).map(([k, v]) => `${k}: ${v}`),
  ];
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]);
}
