import { parseArgs } from 'node:util';
import type { CreateStaffError } from '@/lib/admin/staff';
import { createStaff } from '@/lib/admin/staff';
import { openDatabase } from '@/lib/db/connect';
import { getEnv } from '@/lib/env';
import { runCli } from './cli';

/**
 * `npm run admin:create -- --email olga@example.ru --role admin|viewer`: adds a staff member and prints
 * the generated password once (only its hash is stored). Run `npm run db:migrate` first.
 */
const USAGE = 'Usage: npm run admin:create -- --email <address> --role admin|viewer';

function describeError(error: CreateStaffError, email: string, role: string): string {
  switch (error) {
    case 'invalid_email':
      return `"${email}" is not an email address.`;
    case 'invalid_role':
      return `Unknown role "${role}": expected admin or viewer.`;
    case 'duplicate_email':
      return `A staff member with the email ${email.trim().toLowerCase()} already exists.`;
    default: {
      const unhandled: never = error;
      return unhandled;
    }
  }
}

runCli(async () => {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.email || !values.role) throw new Error(`--email and --role are required.\n${USAGE}`);
  const database = await openDatabase(getEnv().database, { poolSize: 1 });
  try {
    const result = await createStaff(database.db, { email: values.email, role: values.role });
    if (!result.ok) throw new Error(describeError(result.error, values.email, values.role));
    console.log(`Created ${result.staff.role} ${result.staff.email}.`);
    console.log(`Password (shown once, store it in a password manager): ${result.password}`);
  } finally {
    await database.close();
  }
});
