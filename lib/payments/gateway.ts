import 'server-only';
import { type AssistGateway, createAssistGateway } from '@/lib/assist';
import { getEnv } from '@/lib/env';
import { withCallLog } from './logged-gateway';

const cache = globalThis as typeof globalThis & { __assistGateway?: AssistGateway };

/** The one gateway adapter of this process, built from the validated configuration. */
export function getGateway(): AssistGateway {
  cache.__assistGateway ??= withCallLog(createAssistGateway(getEnv().assist));
  return cache.__assistGateway;
}
