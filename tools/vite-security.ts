// The build's browser-side security: the Content Security Policy as a <meta> tag, the response
// headers as dist/_headers, and the secret scan of everything written to dist/. The preview server
// sends the same headers and collects CSP violation reports (the e2e suite asserts there are none).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadEnv, type Plugin, type PreviewServer } from 'vite';
import { contentSecurityPolicy, headersFile, securityHeaders, sonnerStyleHashes } from './csp.ts';
import { describeFindings, knownSecrets, scanDirectory } from './secret-scan.ts';

/** Where the preview server takes CSP violation reports (`report-uri`); GET lists them. */
export const CSP_REPORT_PATH = '/__csp-reports';

function parseHeadersFile(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s+([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) headers[match[1]] = match[2];
  }
  return headers;
}

function servePreviewHeaders(server: PreviewServer, outDir: string): void {
  const file = path.join(outDir, '_headers');
  if (!existsSync(file)) return;
  const headers = parseHeadersFile(readFileSync(file, 'utf8'));
  const policy = headers['Content-Security-Policy'];
  if (policy) headers['Content-Security-Policy'] = `${policy}; report-uri ${CSP_REPORT_PATH}`;
  const reports: unknown[] = [];
  server.middlewares.use((req, res, next) => {
    if (req.url?.startsWith(CSP_REPORT_PATH)) {
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(reports));
        return;
      }
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        if (body.length < 65_536) body += chunk;
      });
      req.on('end', () => {
        try {
          const report = (JSON.parse(body) as { 'csp-report'?: unknown })['csp-report'] ?? body;
          reports.push(report);
          server.config.logger.warn(`CSP violation: ${JSON.stringify(report)}`);
        } catch {
          server.config.logger.warn(`CSP report that is not JSON: ${body.slice(0, 200)}`);
        }
        res.statusCode = 204;
        res.end();
      });
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  });
}

export function securityPlugin(): Plugin {
  let root = process.cwd();
  let outDir = 'dist';
  let env: Record<string, string> = {};
  let policy = '';
  return {
    name: 'stockroom:security',
    configResolved(config) {
      root = config.root;
      outDir = path.resolve(config.root, config.build.outDir);
      env = { ...loadEnv(config.mode, config.envDir || config.root, ''), ...process.env } as Record<string, string>;
      const supabaseUrl = env.VITE_SUPABASE_URL;
      if (config.command === 'build' && supabaseUrl) policy = contentSecurityPolicy({ supabaseUrl, styleHashes: sonnerStyleHashes() });
    },
    transformIndexHtml: {
      order: 'pre',
      handler() {
        // The dev server runs React Refresh's inline preamble, which a strict policy forbids: build only.
        if (!policy) return [];
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }];
      },
    },
    generateBundle() {
      if (!policy || !env.VITE_SUPABASE_URL) return;
      const headerPolicy = contentSecurityPolicy({ supabaseUrl: env.VITE_SUPABASE_URL, styleHashes: sonnerStyleHashes(), header: {} });
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(securityHeaders(headerPolicy)) });
    },
    closeBundle: {
      order: 'post',
      handler() {
        if (!existsSync(outDir)) return;
        const findings = scanDirectory(outDir, knownSecrets(env));
        if (findings.length > 0) throw new Error(describeFindings(outDir.startsWith(root + path.sep) ? path.relative(root, outDir) : outDir, findings));
      },
    },
    configurePreviewServer(server) {
      servePreviewHeaders(server, path.resolve(server.config.root, server.config.build.outDir));
    },
  };
}
