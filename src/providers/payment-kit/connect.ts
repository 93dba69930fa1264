/** Connecting to Payment Kit: URL and access key from the environment, livemode from the config. */
import { InputError } from '../../core/errors.js';
import type { ConnectOptions, Connection } from '../types.js';
import { PaymentKitClient } from './client/client.js';
import { paymentKitTarget } from './target.js';
import { optionsFromEnv } from './client/options.js';
import { PAYMENT_KIT_LIMITS } from './cost.js';

export function connect(options: ConnectOptions): Connection {
  const livemode = options.livemode;
  if (livemode === undefined)
    throw new InputError('Payment Kit needs livemode: live and test customers are different sets', {
      hint: 'set `livemode: true` or `livemode: false` in helcim-sync.yaml (or pass --livemode)',
    });
  const target = paymentKitTarget(options.env);
  // No rate limit is documented: by default only the bound on requests in flight applies, and
  // minute and hour windows only when the person gives them (a proxy's, an account's).
  const limits = options.limits ?? { ...PAYMENT_KIT_LIMITS };
  const concurrency =
    limits === 'off' || !Number.isFinite(limits.concurrent) ? undefined : limits.concurrent;
  const scale = options.timeScale ?? 1;
  const windowed =
    limits !== 'off' && (Number.isFinite(limits.perMinute) || Number.isFinite(limits.perHour));
  const remote = new PaymentKitClient(
    optionsFromEnv(options.env, {
      livemode,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(windowed
        ? {
            windows: {
              perMinute: limits.perMinute,
              perHour: limits.perHour,
              minuteMs: 60_000 / scale,
              hourMs: 3_600_000 / scale,
            },
          }
        : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }),
  );
  return { remote, target, limits };
}
