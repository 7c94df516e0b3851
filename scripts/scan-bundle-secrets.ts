import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { runCli } from './cli';

/**
 * Fails when a configured secret appears anywhere in the client bundle (`.next/static`): the web-service
 * password, the secret word, the cron secret, the database URL, and the demo merchant's values.
 */
const SECRET_VARS = ['ASSIST_PASSWORD', 'ASSIST_SECRET', 'CRON_SECRET', 'DATABASE_URL', 'ASSIST_LOGIN'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

runCli(async () => {
  const root = path.join(process.cwd(), '.next', 'static');
  const secrets = new Map<string, string>([
    ['demo password', DEMO_MERCHANT.password],
    ['demo secret word', DEMO_MERCHANT.secret],
  ]);
  for (const name of SECRET_VARS) {
    const value = process.env[name];
    if (value && value.length >= 6) secrets.set(name, value);
  }
  const all = files(root);
  const leaks: string[] = [];
  for (const file of all) {
    const text = readFileSync(file, 'latin1');
    for (const [name, value] of secrets) if (text.includes(value)) leaks.push(`${name} in ${file}`);
  }
  if (leaks.length) throw new Error(`secrets in the client bundle:\n${leaks.join('\n')}`);
  console.log(`No secret found in ${all.length} client files (${secrets.size} values checked).`);
});
