import type { Env } from '@/lib/env';
import type { SyncSettings } from './sync';

export function syncSettings(env: Env): SyncSettings {
  return {
    minIntervalSeconds: env.ASSIST_SYNC_MIN_INTERVAL_SECONDS,
    initialLookbackHours: env.ASSIST_SYNC_INITIAL_LOOKBACK_HOURS,
    overlapMinutes: env.ASSIST_SYNC_OVERLAP_MINUTES,
    maxWindows: env.ASSIST_SYNC_MAX_WINDOWS,
    recheckLimit: env.ASSIST_SYNC_RECHECK_LIMIT,
    testPaymentsCount: env.assist.testMode,
  };
}
