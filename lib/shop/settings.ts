import 'server-only';
import { getEnv } from '@/lib/env';
import type { Locale } from '@/lib/i18n';
import type { OrderSettings } from './orders';

export function orderSettings(language: Locale): OrderSettings {
  const env = getEnv();
  return {
    twoStageDefault: env.ASSIST_TWO_STAGE,
    expiryMinutes: env.ORDER_EXPIRY_MINUTES,
    orderNumberPrefix: env.ORDER_NUMBER_PREFIX,
    language,
  };
}
