import { logEvent } from './lib/log';

/**
 * Runs once per server process: validates the environment (a bad variable stops start-up with one clear
 * message) and opens the databases early, since PGlite's first open costs seconds.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  try {
    const { getEnv, servesBuiltInSandbox } = await import('./lib/env');
    const env = getEnv();
    const { getDatabase, getDb } = await import('./lib/db/client');
    await getDatabase();
    const { registerFulfilment } = await import('./lib/shop/fulfilment');
    registerFulfilment(getDb);
    const { registerFiscalReceipts } = await import('./lib/payments/fiscal');
    registerFiscalReceipts(getDb, () => getEnv().assist.fiscal);
    if (servesBuiltInSandbox(env)) {
      const { getSandboxGateway } = await import('./lib/sandbox/gateway');
      await getSandboxGateway();
    }
  } catch (error) {
    // A server that cannot open its stores would answer 500 on every route: stop with the reason.
    logEvent('startup_failed', { error }, 'error');
    process.exit(1);
  }
}
