import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

/**
 * A fixture's reply body: the file without its header comment (the citation of its source), byte for
 * byte otherwise. XML keeps its declaration; CSV drops its leading `#` lines.
 */
function fixtureBody(name: string): string {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8');
  if (name.endsWith('.csv')) return text.replace(/^(?:#[^\n]*\n)+/, '');
  return text.replace(/(<\?xml[^>]*\?>\s*)<!--[\s\S]*?-->\s*/, '$1');
}

export interface FixtureRequest {
  path: string;
  fields: URLSearchParams;
}

export interface FixtureServer {
  url: string;
  requests: FixtureRequest[];
  /** Which fixture each service path answers with (lowercase path → file name). */
  routes: Map<string, string>;
  close(): Promise<void>;
}

/** Replays fixture files as a gateway would: 200 with the file's body for each routed path, else 404. */
export async function startFixtureServer(routes: Record<string, string> = {}): Promise<FixtureServer> {
  const state: Omit<FixtureServer, 'url' | 'close'> = {
    requests: [],
    routes: new Map(Object.entries(routes)),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = (req.url ?? '/').split('?')[0]?.toLowerCase() ?? '/';
      state.requests.push({
        path: route,
        fields: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      const file = state.routes.get(route);
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const type = file.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/xml; charset=utf-8';
      res.writeHead(200, { 'Content-Type': type }).end(fixtureBody(file));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
