/**
 * The one merchant the sandbox gateway knows when the shop is not given real credentials in sandbox
 * mode. The shop's configuration (lib/env.ts) and the sandbox use these same values, so a fresh demo
 * works with no configuration at all. Never used outside `ASSIST_MODE=sandbox`.
 */
export const DEMO_MERCHANT = {
  merchantId: '777001',
  login: 'demo-shop',
  password: 'demo-password',
  secret: 'demo-secret-word',
} as const;
