/** Where the environment points the tool: light, so a saved plan is checked before any client loads. */
import { PAYMENT_KIT_URL_ENV, resolvePaymentKitUrl } from './client/config.js';

export function paymentKitTarget(env: Readonly<Record<string, string | undefined>>): string {
  const { origin, basePath } = resolvePaymentKitUrl(env[PAYMENT_KIT_URL_ENV]);
  return `${origin}${basePath}`;
}
