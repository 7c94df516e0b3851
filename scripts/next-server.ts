import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const NEXT_BIN = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env: { ...env, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'inherit' });
}

/** `npm run build`'s two steps: the Next build, then the production commands compiled beside it. */
export async function build(env: NodeJS.ProcessEnv): Promise<void> {
  await waitForExit(run([NEXT_BIN, 'build'], env), 'next build');
  await waitForExit(run([path.join('scripts', 'build-cli.mjs')], env), 'compiling the commands');
}

/**
 * The compiled `npm start`, in the demo's process group: a Ctrl+C reaches it from the terminal and again
 * from the demo, which the server takes as one (a repeat within a second is the same keypress).
 */
export function startServer(env: NodeJS.ProcessEnv): ChildProcess {
  const child = run([path.join('.next', 'cli', 'start.mjs')], env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
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
