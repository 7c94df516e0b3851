import { EnvError } from '@/lib/env';

/**
 * Runs a script's main function and turns a failure into one readable line and exit code 1, so a
 * newcomer sees "DATABASE_URL: expected a postgres:// URL", not a stack trace from a driver.
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      if (err instanceof EnvError) {
        console.error(err.message);
      } else {
        const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
        console.error(`Error: ${err instanceof Error ? err.message : String(err)}${cause}`);
        if (process.env.DEBUG) console.error(err);
      }
      process.exit(1);
    },
  );
}
