import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { StackConfig } from './config.ts';
import { verifyJwt } from './jwt.ts';
import { METRICS_PATH, metricsResponse, type StackMetrics } from './metrics.ts';
import type { ApiRequest, ApiResponse, Service } from './service.ts';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit, X-Request-Id, X-Total-Count, Link, X-Supabase-Api-Version',
};

function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\x21-\x7e]{1,200}$/.test(value) ? value : randomUUID();
}

/** The body, or why there is none: too large, or the client went away before sending it all (`aborted`). */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large' | { clientError: Error }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too-large');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', (err) => resolve({ clientError: err }));
  });
}

/** Auth paths the Supabase CLI's Kong serves without a key (auth-v1-open*): a mail's link is opened by a browser with none. */
const OPEN_AUTH_PATHS = /^\/(verify|callback|authorize)\/?$/;

/** Like Supabase's API gateway: an `apikey` (header or query) or a valid Bearer JWT is required. */
function checkApiKey(req: http.IncomingMessage, url: URL, config: StackConfig): ApiResponse | undefined {
  const header = req.headers.apikey;
  const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey') ?? undefined;
  if (apikey !== undefined) {
    if (apikey === config.anonKey || apikey === config.serviceRoleKey) return undefined;
    return { status: 401, body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } };
  }
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    try {
      verifyJwt(bearer, config.jwtSecret);
      return undefined;
    } catch {
      return { status: 401, body: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } };
    }
  }
  return { status: 401, body: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' } };
}

function send(res: http.ServerResponse, response: ApiResponse, requestId: string): void {
  const headers: Record<string, string | string[]> = { ...CORS_HEADERS, 'x-request-id': requestId, ...response.headers };
  let body = response.body;
  if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

/** Method and path of a request Node's parser refused, for the log line (its raw bytes, when it has them). */
function requestLine(raw: Buffer | undefined): [string, string] {
  const line = raw?.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0] ?? '';
  const [method, target] = line.split(' ');
  const safe = (s: string | undefined) => (s && /^[\x21-\x7e]{1,200}$/.test(s) ? s : '-');
  return [safe(method), safe(target?.split('?')[0])];
}

/**
 * The JSON answer to a request Node's HTTP parser refused before the gateway saw it (by default Node
 * answers these with an empty body).
 */
function clientErrorReply(err: NodeJS.ErrnoException, method: string, target: string): { status: number; body: object } | undefined {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        body: { message: 'Request header fields too large', hint: `The request line and headers are limited to ${http.maxHeaderSize} bytes; send long filters in the body of a POST to an RPC function.` },
      };
    case 'HPE_INVALID_METHOD':
      // PostgREST's answer to a method it has no action for (Node refuses methods it does not know).
      return target.startsWith('/rest/v1/')
        ? { status: 405, body: { code: 'PGRST117', message: `Unsupported HTTP method: ${method}`, details: null, hint: null } }
        : { status: 405, body: { message: `Unsupported HTTP method: ${method}` } };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: { message: 'Request timeout', hint: 'The request was not received in time.' } };
    // The client went away: nobody to answer, and a request in flight logs it once itself.
    case 'ECONNRESET':
    case 'EPIPE':
    case 'HPE_INVALID_EOF_STATE':
      return undefined;
    default:
      return { status: 400, body: { message: 'Bad request', hint: `The HTTP request could not be parsed (${err.code ?? 'parse error'}).` } };
  }
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startGateway(opts: {
  config: StackConfig;
  services: Record<string, Service>;
  health: () => Promise<Record<string, unknown>>;
  metrics?: StackMetrics;
  log: (line: string) => void;
  /** Node's defaults (60 s for the headers, 300 s for the whole request) unless given; the tests shorten them. */
  timeouts?: { headersMs: number; requestMs: number };
}): Promise<Gateway> {
  const { config, services, log } = opts;
  const timeouts = opts.timeouts && {
    headersTimeout: opts.timeouts.headersMs,
    requestTimeout: opts.timeouts.requestMs,
    connectionsCheckingInterval: Math.min(30_000, Math.ceil(opts.timeouts.headersMs / 4)),
  };
  const server = http.createServer({ ...timeouts }, async (req, res) => {
    const started = process.hrtime.bigint();
    const id = requestIdFrom(req.headers['x-request-id']);
    req.headers['x-request-id'] = id;
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    // One line per request: its status when the response was written, else why not.
    let logged = false;
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    res.on('finish', () => {
      logged = true;
      const ms = elapsed();
      log(`${new Date().toISOString()} ${id} ${req.method} ${url.pathname} ${res.statusCode} ${ms.toFixed(1)}ms`);
      opts.metrics?.requestFinished(req.method ?? 'GET', url.pathname, res.statusCode, ms / 1000);
    });
    res.on('close', () => {
      if (logged) return;
      const when = req.complete ? 'before the response' : 'before sending the whole body';
      log(`${new Date().toISOString()} ${id} ${req.method} ${url.pathname} client closed the connection ${when} (${elapsed().toFixed(1)}ms)`);
    });
    try {
      if (req.method === 'OPTIONS') {
        send(res, {
          status: 200,
          headers: {
            'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
            'access-control-max-age': '3600',
          },
        }, id);
        return;
      }
      if (url.pathname === '/health') {
        send(res, { status: 200, body: await opts.health() }, id);
        return;
      }
      if (url.pathname === METRICS_PATH && opts.metrics && (req.method === 'GET' || req.method === 'HEAD')) {
        send(res, await metricsResponse(opts.metrics, config, req.headers), id);
        return;
      }
      const match = /^\/(rest|auth|realtime)\/v1(\/.*)?$/.exec(url.pathname);
      const service = match ? services[match[1] as string] : undefined;
      if (!match || !service) {
        send(res, { status: 404, body: { message: 'no Route matched with those values' } }, id);
        return;
      }
      // Kong's open routes in the Supabase CLI: links in mails (and OAuth redirects) carry no key.
      const open = match[1] === 'auth' && OPEN_AUTH_PATHS.test(match[2] ?? '');
      const denied = open ? undefined : checkApiKey(req, url, config);
      if (denied) {
        send(res, denied, id);
        return;
      }
      const body = await readBody(req);
      if (body === 'too-large') {
        send(res, { status: 413, body: { message: 'Request body too large', hint: `The limit is ${MAX_BODY_BYTES} bytes.` } }, id);
        return;
      }
      if ('clientError' in body) {
        // Answered already when Node's parser refused the body (clientError below).
        if (res.headersSent) return;
        // The client's doing (it left mid-body): the close handler above logs one line, no trace.
        res.destroy();
        return;
      }
      const apiRequest: ApiRequest = {
        id,
        method: req.method ?? 'GET',
        url,
        path: match[2] ?? '/',
        headers: req.headers,
        body,
        ip: req.socket.remoteAddress ?? '127.0.0.1',
      };
      send(res, await service.handle(apiRequest), id);
    } catch (err) {
      log(`${new Date().toISOString()} ${id} internal error: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) send(res, { status: 500, body: { message: 'Internal stack error', hint: `See the stack log for request ${id}.` } }, id);
      else res.destroy();
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const [method, target] = requestLine(err.rawPacket);
    const reply = clientErrorReply(err, method, target);
    const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
    if (inFlight && !inFlight.req.complete) {
      // Its headers were accepted but Node refused its body (a bad chunk): answered as that request,
      // so its one log line has its id.
      if (reply && !inFlight.headersSent) send(inFlight, { status: reply.status, headers: { connection: 'close' }, body: reply.body }, String(inFlight.req.headers['x-request-id']));
      else socket.destroy();
      return;
    }
    const id = randomUUID();
    if (inFlight) {
      // Garbage pipelined after a whole request that is still being answered: finish that one, then close.
      log(`${new Date().toISOString()} ${id} - - - client error: ${err.code ?? err.message} after request ${String(inFlight.req.headers['x-request-id'])}`);
      if (!inFlight.headersSent) inFlight.setHeader('connection', 'close');
      else socket.destroy();
      return;
    }
    if (reply) log(`${new Date().toISOString()} ${id} ${method} ${target} ${reply.status} client error: ${err.code ?? err.message}`);
    if (!reply || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(reply.body);
    const head = [
      `HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status]}`,
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      `x-request-id: ${id}`,
      ...Object.entries(CORS_HEADERS).map(([k, v]) => `${k}: ${v}`),
      'connection: close',
    ];
    // A HEAD request gets the head only: a body would be read as garbage after the response.
    socket.end(`${head.join('\r\n')}\r\n\r\n${method === 'HEAD' ? '' : body}`);
  });
  // Upgraded (WebSocket) connections are not closed by closeAllConnections(): close() ends them.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req, socket, head) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const service = url.pathname.startsWith('/realtime/v1/') ? services.realtime : undefined;
    if (!service?.upgrade) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    const denied = checkApiKey(req, url, config);
    if (denied) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify(denied.body)}`);
      return;
    }
    service.upgrade(req, socket, head);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`Port ${config.apiPort} is in use: stop the other process or set STACK_API_PORT.`) : err));
    server.listen(config.apiPort, config.apiHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.apiHost}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}
