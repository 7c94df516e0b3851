import 'server-only';
import { type AssistGateway, createAssistGateway } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { withCallLog } from './logged-gateway';
import { legacyReportBudget } from './read-budget';

const cache = globalThis as typeof globalThis & { __assistGateway?: AssistGateway };

/**
 * The one gateway adapter of this process, built from the validated configuration. With the legacy
 * protocol every results.cfm request draws from one budget in the database (once per 10 minutes).
 */
export function getGateway(): AssistGateway {
  const config = getEnv().assist;
  cache.__assistGateway ??= withCallLog(
    createAssistGateway(
      config,
      config.protocol === 'legacy' ? { reportBudget: legacyReportBudget(getDb) } : {},
    ),
  );
  return cache.__assistGateway;
}
