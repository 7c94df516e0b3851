import { setPasswordCostForTests } from '@/lib/admin/password';
import { readPgliteTemplate, TEMPLATE_ENV } from '@/lib/db/testing';
import { setMemoryStoreTemplate } from '@/lib/sandbox/db';

// In-memory sandbox stores start from the run's migrated template (lib/testing/global-setup.ts).
setMemoryStoreTemplate(readPgliteTemplate(process.env[TEMPLATE_ENV.sandbox]));

// Staff passwords hash at the lowest cost a stored hash may name (lib/admin/password.ts).
setPasswordCostForTests(2 ** 10);
