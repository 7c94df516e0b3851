import { setPasswordCostForTests } from '@/lib/admin/password';
import { clientFromTemplate, readPgliteTemplate, TEMPLATE_ENV } from '@/lib/db/testing';
import { setMemoryStoreClients } from '@/lib/sandbox/db';

// In-memory sandbox stores start from the run's migrated template (lib/testing/global-setup.ts), on
// clients reused once released.
const sandboxTemplate = readPgliteTemplate(process.env[TEMPLATE_ENV.sandbox]);
if (sandboxTemplate) setMemoryStoreClients(() => clientFromTemplate(sandboxTemplate));

// Staff passwords hash at the lowest cost a stored hash may name (lib/admin/password.ts).
setPasswordCostForTests(2 ** 10);
