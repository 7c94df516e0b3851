import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const NEXT_BIN = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');

/** Runs `next <args>` with the given environment, forwarding termination signals to it. */
export function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return child;
}

/** Resolves when the child exits with code 0, rejects with its exit code otherwise. */
export function waitForExit(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} exited with ${signal ?? `code ${code}`}`));
    });
  });
}
