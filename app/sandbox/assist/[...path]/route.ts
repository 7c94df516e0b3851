import { BUILT_IN_SANDBOX_PATH, getEnv, servesBuiltInSandbox } from '@/lib/env';
import { handleSandboxRequest } from '@/lib/sandbox/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Unless this shop uses the built-in gateway, it does not exist: 404 before anything opens its store.
async function handle(request: Request): Promise<Response> {
  if (!servesBuiltInSandbox(getEnv())) return new Response('Not Found', { status: 404 });
  return handleSandboxRequest(request, { prefix: BUILT_IN_SANDBOX_PATH });
}

export { handle as DELETE, handle as GET, handle as POST };
