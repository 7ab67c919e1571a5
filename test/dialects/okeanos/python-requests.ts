// Sends a request byte for byte as the service VM's python-requests (2.x) does: its default headers, the
// caller's headers, `json=` encoded by Python's json.dumps, and Content-Length: 0 on a POST or DELETE without a body.
import { request } from 'node:http';

export interface Sent {
  status: number;
  contentType: string | undefined;
  text: string;
  body: any;
}

/** Python's json.dumps with its defaults: ", " and ": " separators, every non-ASCII character as \uXXXX. */
export function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) =>
    c === '\u007f' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `requests.<method>(url, json=?, headers=?)`. */
export function pythonRequests(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const body = options.json === undefined ? undefined : Buffer.from(pythonJsonDumps(options.json));
  const headers: Record<string, string> = {
    'User-Agent': 'python-requests/2.8.1',
    'Accept-Encoding': 'gzip, deflate',
    Accept: '*/*',
    Connection: 'keep-alive',
    ...(body ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  if (body) headers['Content-Length'] = String(body.length);
  else if (method !== 'GET') headers['Content-Length'] = '0';
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = response.headers['content-type'];
        resolve({
          status: response.statusCode ?? 0,
          contentType,
          text,
          body: contentType?.includes('json') && text ? JSON.parse(text) : text,
        });
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}
