// `npm start`, `npm run db:migrate`, `db:seed`, `admin:create`, `cron`: runs the command compiled by
// `npm run build` (.next/cli/<name>.mjs, plain JavaScript: works after `npm prune --omit=dev`). In a
// development checkout (tsx installed) a command other than start runs from its TypeScript source when
// there is no build or the sources changed since; start needs the build either way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBuildCurrent } from './build-fingerprint.mjs';

const [name, ...args] = process.argv.slice(2);
const compiled = path.resolve('.next', 'cli', `${name}.mjs`);
const source = path.resolve('scripts', `${name}.ts`);
if (!name || (!existsSync(source) && !existsSync(compiled))) {
  console.error(`Unknown command "${name ?? ''}".`);
  process.exit(2);
}

function hasTsx() {
  try {
    createRequire(import.meta.url).resolve('tsx');
    return true;
  } catch {
    return false;
  }
}

const current = existsSync(compiled) && (!existsSync(source) || !hasTsx() || isBuildCurrent());
if (current || (name === 'start' && existsSync(compiled))) {
  if (!current)
    console.warn('Warning: the sources changed since the last `npm run build`; serving that build.');
  // The command reads its own arguments from process.argv.slice(2).
  process.argv.splice(2, 1);
  await import(pathToFileURL(compiled).href);
} else if (name !== 'start' && hasTsx()) {
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', source, ...args], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  console.error(
    `No build of "${name}": run \`npm run build\` first (it compiles the commands to .next/cli/).`,
  );
  process.exit(1);
}
