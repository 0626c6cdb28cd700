import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { startGateway } from '../gateway.ts';
import { logLinesFor } from './log-support.ts';
import { stack } from './support.ts';

/** Sends raw bytes to the gateway; resolves with what it answers until it closes, or at `destroyAfterMs` destroys the socket. */
function rawRequest(text: string, destroyAfterMs?: number, url = stack().apiUrl): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(text);
      if (destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), destroyAfterMs);
    });
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parseAnswer(answer: string): { status: number; headers: Record<string, string>; body: unknown } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: body === '' ? undefined : JSON.parse(body) };
}

describe('API gateway', () => {
  it('answers /health without a key', async () => {
    const res = await fetch(`${stack().apiUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', postgres: { ok: true } });
  });

  it('opens the Auth links a mail carries without a key, as Kong does (/auth/v1/verify), and nothing else under /auth', async () => {
    const verify = await fetch(`${stack().apiUrl}/auth/v1/verify?token=nope&type=recovery&redirect_to=http://127.0.0.1:5173/reset-password`, { redirect: 'manual' });
    expect(verify.status).not.toBe(401);
    const user = await fetch(`${stack().apiUrl}/auth/v1/user`);
    expect(user.status).toBe(401);
    const sneaky = await fetch(`${stack().apiUrl}/auth/v1/verify/../user`);
    expect(sneaky.status).toBe(401);
  });

  it('refuses requests without an apikey in Supabase shape', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/anything`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
  });

  it('refuses an unknown apikey and a forged bearer', async () => {
    const bad = await fetch(`${stack().apiUrl}/rest/v1/anything`, { headers: { apikey: 'not-a-key' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ message: 'Invalid API key' });
    const forged = stack().anonKey.slice(0, -4) + 'AAAA';
    const res = await fetch(`${stack().apiUrl}/auth/v1/settings`, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });

  it('answers CORS preflights like Supabase', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey,authorization,content-type,x-client-info' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('apikey,authorization,content-type,x-client-info');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const given = await fetch(`${stack().apiUrl}/health`, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const generated = await fetch(`${stack().apiUrl}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404', async () => {
    const res = await fetch(`${stack().apiUrl}/nowhere/v1/x`);
    expect(res.status).toBe(404);
  });

  it('answers a request line and headers past 16 KiB with 431 and a JSON body, not an empty one', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/products?select=${'a'.repeat(55_000)}`, { headers: { apikey: stack().anonKey } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ message: 'Request header fields too large', hint: expect.stringContaining('16384 bytes') });
    // A HEAD request gets the status and headers only: a body would be read as garbage after the response.
    const head = await rawRequest(`HEAD /rest/v1/products?select=${'a'.repeat(55_000)} HTTP/1.1\r\nhost: x\r\napikey: ${stack().anonKey}\r\n\r\n`);
    expect(parseAnswer(head)).toMatchObject({ status: 431, body: undefined });
  });

  it('answers a method Node does not know with 405: PostgREST\'s PGRST117 under /rest/v1, JSON elsewhere', async () => {
    const rest = parseAnswer(await rawRequest(`FROB /rest/v1/products HTTP/1.1\r\nhost: x\r\napikey: ${stack().anonKey}\r\n\r\n`));
    expect(rest).toMatchObject({ status: 405, body: { code: 'PGRST117', message: 'Unsupported HTTP method: FROB', details: null, hint: null } });
    expect(rest.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const lines = await logLinesFor(rest.headers['x-request-id']!);
    expect(lines).toEqual([expect.stringMatching(/ FROB \/rest\/v1\/products 405 client error: HPE_INVALID_METHOD$/)]);
    const auth = parseAnswer(await rawRequest('FROB /auth/v1/user HTTP/1.1\r\nhost: x\r\n\r\n'));
    expect(auth).toMatchObject({ status: 405, body: { message: 'Unsupported HTTP method: FROB' } });
    const malformed = parseAnswer(await rawRequest('GET /rest/v1/products HTTP/1.1\r\nhost x\r\n\r\n'));
    expect(malformed).toMatchObject({ status: 400, body: { message: 'Bad request' } });
  });

  it('logs a client that leaves mid-body as one line with its request id, without a stack trace', async () => {
    const id = `abort-${Date.now()}`;
    await rawRequest(
      `POST /rest/v1/products HTTP/1.1\r\nhost: x\r\napikey: ${stack().anonKey}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\nx-request-id: ${id}\r\n\r\n0123456789`,
      200,
    );
    const lines = await logLinesFor(id);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\S+ ${id} POST /rest/v1/products client closed the connection before sending the whole body \\([\\d.]+ms\\)$`))]);
  });

  it('logs a client that leaves before the response as one line with its request id', async () => {
    const id = `gone-${Date.now()}`;
    // The function sleeps 1 s; the client leaves after 300 ms, while it runs.
    await rawRequest(`GET /rest/v1/rpc/slow?seconds=1 HTTP/1.1\r\nhost: x\r\napikey: ${stack().serviceRoleKey}\r\naccept-profile: conformance\r\nx-request-id: ${id}\r\n\r\n`, 300);
    const lines = await logLinesFor(id);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\S+ ${id} GET /rest/v1/rpc/slow client closed the connection before the response \\([\\d.]+ms\\)$`))]);
  });

  it('answers a body Node cannot parse (a bad chunk) with 400 in JSON, logged once under the request id', async () => {
    const id = `bad-chunk-${Date.now()}`;
    const answer = await rawRequest(
      `POST /rest/v1/products HTTP/1.1\r\nhost: x\r\napikey: ${stack().anonKey}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nx-request-id: ${id}\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain(`x-request-id: ${id}`);
    expect(answer).toContain('{"message":"Bad request","hint":"The HTTP request could not be parsed (HPE_INVALID_CHUNK_SIZE)."}');
    expect(await logLinesFor(id)).toEqual([expect.stringMatching(new RegExp(`^\\S+ ${id} POST /rest/v1/products 400 [\\d.]+ms$`))]);
  });

  it('answers a whole request followed by pipelined garbage, then closes, without a trace', async () => {
    const id = `pipelined-${Date.now()}`;
    const answer = await rawRequest(
      `GET /rest/v1/products?select=id&limit=1 HTTP/1.1\r\nhost: x\r\napikey: ${stack().anonKey}\r\nx-request-id: ${id}\r\n\r\nGARBAGE GARBAGE\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toContain('connection: close');
    await logLinesFor(`${id} GET /rest/v1/products 200`);
    const lines = await logLinesFor(id);
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(` - - - client error: HPE_INVALID_METHOD after request ${id}$`)),
        expect.stringMatching(new RegExp(` ${id} GET /rest/v1/products 200 [\\d.]+ms$`)),
      ]),
    );
  });

  it('answers a request whose headers do not arrive in time with 408 and a JSON body', async () => {
    const lines: string[] = [];
    const config = configFromEnv(process.env, { apiPort: 0, databaseUrl: stack().dbUrl });
    const gateway = await startGateway({ config, services: {}, health: async () => ({ status: 'ok' }), log: (line) => lines.push(line), timeouts: { headersMs: 300, requestMs: 600 } });
    try {
      const answer = parseAnswer(await rawRequest('GET /rest/v1/products HTTP/1.1\r\nhost: x\r\n', undefined, gateway.url));
      expect(answer).toMatchObject({ status: 408, body: { message: 'Request timeout' } });
      expect(lines).toEqual([expect.stringMatching(/ 408 client error: ERR_HTTP_REQUEST_TIMEOUT$/)]);
    } finally {
      await gateway.close();
    }
  });
});
