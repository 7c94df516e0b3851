import { createServer, type Server } from 'node:http';
import next from 'next';
import { getEnv } from '@/lib/env';
import { describeStop, trackRequests } from '@/lib/ops/graceful-server';
import { runCli } from './cli';

/**
 * `npm start`: serves the production build with the environment exactly as given (no seeding, no demo
 * defaults), after validating it so a misconfiguration is one clear message rather than a crash later.
 * Next runs inside this process (its custom-server API) so that SIGTERM and SIGINT stop it gracefully:
 * no new connections, requests in flight finish (bounded), the database pool is closed, exit 0 with
 * one line. Binds to HOSTNAME when set, else every interface.
 */
// Next's own `next start` does the same; the environment check below depends on it.
(process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';

function listen(server: Server, port: number, hostname: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => resolve());
  });
}

/**
 * The first SIGTERM or SIGINT. A second one more than a second later (Ctrl+C twice) stops at once; one
 * within the second is the same Ctrl+C reaching us twice, from the terminal and from a parent (the demo)
 * that passes signals on.
 */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first = 0;
    const on = (signal: NodeJS.Signals) => {
      if (!first) {
        first = Date.now();
        resolve(signal);
      } else if (Date.now() - first > 1000) {
        process.exit(1);
      }
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

runCli(async () => {
  const env = getEnv();
  const hostname = process.env.HOSTNAME || undefined;
  const stopRequested = nextSignal();
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? 'localhost', port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    handle(req, res);
  });
  const tracker = trackRequests(server);
  await listen(server, env.PORT, hostname);
  console.log(`Serving on http://${hostname ?? 'localhost'}:${env.PORT} (${env.database.kind}).`);
  const signal = await stopRequested;
  console.log(describeStop(signal, await tracker.stop()));
});
