// The mail catcher's web page and JSON API, modelled on Mailpit's (which the Supabase CLI runs on
// port 54324): GET /api/v1/messages, GET /api/v1/message/:id ("latest" too), GET /api/v1/search?query=,
// DELETE /api/v1/messages (body {"IDs": [...]} or nothing for all), GET /api/v1/info.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Mail, MailStore } from './store.ts';

export interface MailServer {
  url: string;
  close(): Promise<void>;
}

const summary = (m: Mail) => ({
  ID: m.ID,
  MessageID: m.MessageID,
  Read: m.Read,
  From: m.From,
  To: m.To,
  Cc: [],
  Bcc: [],
  ReplyTo: [],
  Subject: m.Subject,
  Created: m.Created,
  Tags: m.Tags,
  Size: m.Size,
  Attachments: 0,
  Snippet: m.Text.replace(/\s+/g, ' ').slice(0, 250),
});

const detail = (m: Mail) => ({
  ID: m.ID,
  MessageID: m.MessageID,
  From: m.From,
  To: m.To,
  Cc: [],
  Bcc: [],
  ReplyTo: [],
  ReturnPath: m.From.Address,
  Subject: m.Subject,
  Date: m.Created,
  Tags: m.Tags,
  Text: m.Text,
  HTML: m.HTML,
  Size: m.Size,
  Inline: [],
  Attachments: [],
});

function page(mails: Mail[], params: URLSearchParams) {
  const start = Math.max(0, Number(params.get('start')) || 0);
  const limit = Math.max(1, Math.min(1000, Number(params.get('limit')) || 50));
  const slice = mails.slice(start, start + limit);
  return { total: mails.length, unread: mails.filter((m) => !m.Read).length, count: slice.length, messages_count: mails.length, start, tags: [], messages: slice.map(summary) };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function listPage(mails: Mail[]): string {
  const rows = mails
    .map((m) => `<tr><td>${escape(new Date(m.Created).toLocaleString())}</td><td>${escape(m.To.map((a) => a.Address).join(', '))}</td><td><a href="/view/${m.ID}">${escape(m.Subject)}</a></td><td>${escape(m.Tags.join(' '))}</td></tr>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style></head>
<body><h1>Mail catcher</h1><p>${mails.length} mail(s) the local Auth sent. JSON: <a href="/api/v1/messages">/api/v1/messages</a>.
<form method="post" action="/delete-all" style="display:inline"><button>Delete all</button></form></p>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>Type</th></tr></thead><tbody>${rows || '<tr><td colspan="4">No mail yet.</td></tr>'}</tbody></table></body></html>`;
}

function viewPage(m: Mail): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(m.Subject)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}iframe{width:100%;height:60vh;border:1px solid #ddd}</style></head>
<body><p><a href="/">← all mail</a></p><h1>${escape(m.Subject)}</h1>
<p>From ${escape(m.From.Address)} to ${escape(m.To.map((a) => a.Address).join(', '))}, ${escape(m.Created)}</p>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" srcdoc="${escape(m.HTML)}"></iframe></body></html>`;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'application/json') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1 << 20) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(store: MailStore, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (method === 'GET' && path === '/') return send(res, 200, listPage(store.list()), 'text/html; charset=utf-8');
  if (method === 'POST' && path === '/delete-all') {
    store.delete();
    res.writeHead(303, { location: '/' });
    return void res.end();
  }
  const view = /^\/view\/([^/]+)$/.exec(path);
  if (method === 'GET' && view) {
    const mail = store.get(decodeURIComponent(view[1]!));
    return mail ? send(res, 200, viewPage(mail), 'text/html; charset=utf-8') : send(res, 404, 'mail not found\n', 'text/plain; charset=utf-8');
  }
  if (method === 'GET' && path === '/api/v1/info') return send(res, 200, JSON.stringify({ Version: 'stack', Messages: store.list().length, Unread: store.list().filter((m) => !m.Read).length }));
  if (path === '/api/v1/messages') {
    if (method === 'GET') return send(res, 200, JSON.stringify(page(store.list(), url.searchParams)));
    if (method === 'DELETE') {
      const text = await readBody(req);
      let ids: string[] | undefined;
      if (text.trim() !== '') {
        const parsed = JSON.parse(text) as { IDs?: unknown };
        if (parsed.IDs !== undefined && !(Array.isArray(parsed.IDs) && parsed.IDs.every((id) => typeof id === 'string'))) return send(res, 400, 'IDs must be an array of strings\n', 'text/plain; charset=utf-8');
        ids = parsed.IDs as string[] | undefined;
      }
      store.delete(ids);
      return send(res, 200, 'ok', 'text/plain; charset=utf-8');
    }
  }
  if (method === 'GET' && path === '/api/v1/search') {
    const query = url.searchParams.get('query') ?? '';
    if (query.trim() === '') return send(res, 400, 'no search query\n', 'text/plain; charset=utf-8');
    return send(res, 200, JSON.stringify(page(store.search(query), url.searchParams)));
  }
  const one = /^\/api\/v1\/message\/([^/]+)$/.exec(path);
  if (method === 'GET' && one) {
    const mail = store.get(decodeURIComponent(one[1]!));
    if (!mail) return send(res, 404, 'message not found\n', 'text/plain; charset=utf-8');
    mail.Read = true;
    return send(res, 200, JSON.stringify(detail(mail)));
  }
  send(res, 404, '404 page not found\n', 'text/plain; charset=utf-8');
}

/** Serves the catcher on 127.0.0.1:`port` (0 = a free port). */
export async function startMailServer(store: MailStore, port: number, log: (line: string) => void = () => {}): Promise<MailServer> {
  const server = http.createServer((req, res) => {
    handle(store, req, res).catch((err: Error) => {
      if (err instanceof SyntaxError) return send(res, 400, `invalid JSON: ${err.message}\n`, 'text/plain; charset=utf-8');
      log(`mail: ${req.method} ${req.url} failed: ${err.message}`);
      if (!res.headersSent) send(res, 500, 'internal error\n', 'text/plain; charset=utf-8');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
