import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import type { StackConfig } from './config.ts';
import type { MailSink } from './mail/store.ts';
import type { StackMetrics } from './metrics.ts';

/** One HTTP request as the gateway hands it to a service. */
export interface ApiRequest {
  /** The request id: `x-request-id` when the client sent a sane one, else generated. */
  id: string;
  method: string;
  url: URL;
  /** The path after the service prefix: `/todos` for `/rest/v1/todos`. */
  path: string;
  /** Lower-case header names; includes `x-request-id`. */
  headers: IncomingHttpHeaders;
  body: Buffer;
  ip: string;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** An object is sent as JSON. */
  body?: string | Buffer | object | null;
}

export interface Service {
  handle(req: ApiRequest): Promise<ApiResponse>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

export interface ServiceContext {
  config: StackConfig;
  databaseUrl: string;
  /** A pool connected as the superuser `postgres`, for the stack's own work. */
  adminPool: pg.Pool;
  /** Prometheus metrics the services feed (stack/metrics.ts). */
  metrics: StackMetrics;
  /** The mail catcher Auth delivers to (stack/mail); Auth keeps its own mailbox when absent. */
  mail?: MailSink;
  log(line: string): void;
}
