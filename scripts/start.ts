import { getEnv } from '@/lib/env';
import { runCli } from './cli';
import { runNext, waitForExit } from './next-server';

/**
 * `npm start`: serves the production build with the environment exactly as given (no seeding, no demo
 * defaults), after validating it so a misconfiguration is one clear message rather than a crash later.
 */
runCli(async () => {
  const env = getEnv();
  await waitForExit(runNext(['start', '--port', String(env.PORT)], process.env), 'next start');
});
