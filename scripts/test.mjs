// `npm test`: the type check, the lint and every vitest project at once instead of one after another.
// Vitest's first group, the pure tests, runs in one worker and leaves the other core to the type check
// and the lint (one after another they took 14 s of an 89 s npm test in the clean-clone CI). Vitest
// prints as it goes; the checks' output is printed whole when they end, under their names. Exits
// non-zero when any of the three failed. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

function run(name, command, args, { buffered }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output = [];
    if (buffered) {
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
    }
    child.on('error', (err) => output.push(Buffer.from(`${err.message}\n`)));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      if (buffered) {
        process.stdout.write(
          `\n--- ${name}: ${ok ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${seconds}s\n`,
        );
        process.stdout.write(Buffer.concat(output));
      }
      resolve({ name, ok });
    });
  });
}

const results = await Promise.all([
  run('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit'], { buffered: true }),
  run('lint (biome check .)', bin('biome'), ['check', '.'], { buffered: true }),
  run('vitest', bin('vitest'), ['run', ...process.argv.slice(2)], { buffered: false }),
]);
const failed = results.filter((r) => !r.ok).map((r) => r.name);
if (failed.length > 0) {
  console.error(`\nnpm test failed: ${failed.join(', ')}`);
  process.exit(1);
}
