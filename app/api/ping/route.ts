export const dynamic = 'force-dynamic';

/** GET /api/ping: liveness, and the framework's own ceiling in bench/storefront-load.ts. */
export function GET(): Response {
  return new Response('ok', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } });
}
