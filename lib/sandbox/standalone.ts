import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logEvent } from '../log';
import type { SandboxConfig } from './config';
import { openSandboxGateway, type SandboxGateway } from './gateway';
import { handleSandboxRequest } from './http';

export interface SandboxServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A PGlite data folder or `'memory'`; default `SANDBOX_DIR` or `.data/sandbox`. */
  dataDir?: string | 'memory';
  config?: Partial<SandboxConfig>;
  /** Mount path; default '' so `url` itself is the gateway host (what the shop's ASSIST_SERVER takes). */
  prefix?: string;
  /** The gateway's clock, for tests that move past bill timeouts. */
  now?: () => Date;
}

export interface SandboxServer {
  url: string;
  gateway: SandboxGateway;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const chunks: Buffer[] = [];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    signal,
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, gateway: SandboxGateway, prefix: string) {
  const aborted = new AbortController();
  res.on('close', () => aborted.abort());
  const response = await handleSandboxRequest(await toRequest(req, aborted.signal), { prefix, gateway });
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch {
    // A body that fails (the `hang` fault) ends as a dropped connection, as a dead gateway would.
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/** Runs the sandbox gateway on its own node:http server (tests, a second instance beside a shop). */
export async function startSandboxServer(opts: SandboxServerOptions = {}): Promise<SandboxServer> {
  const gateway = await openSandboxGateway({ dataDir: opts.dataDir, config: opts.config, now: opts.now });
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  const server = createServer((req, res) => {
    serve(req, res, gateway, prefix).catch((err: unknown) => {
      logEvent('sandbox_server_error', { error: err }, 'error');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // Idle keep-alive sockets are closed by the client, never by this server: when both sides time out
  // the same idle socket at once, a request the client just sent on it fails with ECONNRESET (seen in
  // the concurrency tests). close() below still ends every connection.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    gateway,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
    },
  };
}
