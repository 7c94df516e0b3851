import { handleSandboxRequest } from '@/lib/sandbox/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Outside sandbox mode the gateway does not exist: answer 404 before anything opens its store.
async function handle(request: Request): Promise<Response> {
  if (process.env.ASSIST_MODE !== 'sandbox') return new Response('Not Found', { status: 404 });
  return handleSandboxRequest(request, { prefix: '/sandbox/assist' });
}

export { handle as DELETE, handle as GET, handle as POST };
