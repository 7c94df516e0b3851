import { readPgliteTemplate, TEMPLATE_ENV } from '@/lib/db/testing';
import { setMemoryStoreTemplate } from '@/lib/sandbox/db';

// In-memory sandbox stores start from the run's migrated template (lib/testing/global-setup.ts).
setMemoryStoreTemplate(readPgliteTemplate(process.env[TEMPLATE_ENV.sandbox]));
