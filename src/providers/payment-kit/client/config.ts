/**
 * Where the Payment Kit client talks to, with which access key and in which mode, checked before
 * any request is made. The key is a secret like Helcim's token: it comes from the environment
 * only and no message here ever repeats it.
 */
import { SyncError, InputError } from '../../../core/errors.js';
import { isLoopbackHost } from '../../../remote/http/loopback.js';

export const PAYMENT_KIT_URL_ENV = 'PAYMENT_KIT_URL';
export const PAYMENT_KIT_KEY_ENV = 'PAYMENT_KIT_ACCESS_KEY';
const EXAMPLE_URL = 'https://shop.example.com/payment';

export interface PaymentKitBase {
  /** `https://shop.example.com` */
  origin: string;
  /** The mount point without a trailing slash (`/payment`, or `` at the root). */
  basePath: string;
}

function configError(message: string, hint: string): InputError {
  return new InputError(message, { code: 'ERR_CONFIG', hint });
}

/** `PAYMENT_KIT_URL`: the app's origin plus Payment Kit's mount point; there is no default. */
export function resolvePaymentKitUrl(raw: string | undefined): PaymentKitBase {
  const text = raw?.trim() ?? '';
  if (text === '') {
    throw configError(
      'No Payment Kit URL was given.',
      `Set ${PAYMENT_KIT_URL_ENV} to the app's origin plus Payment Kit's mount point, e.g. ${EXAMPLE_URL}.`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(
      `The Payment Kit URL "${text}" is not a valid URL.`,
      `Set ${PAYMENT_KIT_URL_ENV} to a full URL such as ${EXAMPLE_URL}.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // The message names no part of the URL: the user part may well be the key itself.
    throw configError(
      'The Payment Kit URL must not carry a user name or password.',
      `The access key goes in ${PAYMENT_KIT_KEY_ENV}, never in the URL.`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw configError(
      'The Payment Kit URL must not carry a query or a fragment.',
      `Set ${PAYMENT_KIT_URL_ENV} to the origin plus the mount point only, e.g. ${EXAMPLE_URL}.`,
    );
  }
  const secure = url.protocol === 'https:';
  if (!secure && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new SyncError(
      'ERR_INSECURE_URL',
      `Refusing to send the access key to ${url.protocol}//${url.host}: only HTTPS is allowed.`,
      {
        hint: 'Use an https:// URL; plain http:// is accepted only for loopback hosts (127.0.0.1, ::1, localhost), e.g. a local emulator.',
      },
    );
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** A header-safe access key; the message never repeats it. */
export function checkAccessKey(key: string | undefined): string {
  const trimmed = key?.trim() ?? '';
  if (trimmed === '') {
    throw new SyncError('ERR_MISSING_TOKEN', 'No Payment Kit access key was given.', {
      hint: `Set the environment variable ${PAYMENT_KIT_KEY_ENV} to an access key of the app (it starts with "blocklet-").`,
    });
  }
  // Anything outside visible ASCII would make the HTTP layer throw, echoing the header value.
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    throw configError(
      `${PAYMENT_KIT_KEY_ENV} contains characters that cannot be sent in a header.`,
      `Copy the key again into ${PAYMENT_KIT_KEY_ENV} without spaces or line breaks.`,
    );
  }
  return trimmed;
}

/**
 * Live and test customers are separate sets, and the SDK's default (live) is the dangerous one
 * to fall into by accident: the mode must be chosen, never guessed.
 */
export function checkLivemode(livemode: unknown): boolean {
  if (typeof livemode !== 'boolean') {
    throw configError(
      'The Payment Kit client needs livemode: true (live customers) or false (test customers).',
      'Choose the mode explicitly; live and test customers are separate sets.',
    );
  }
  return livemode;
}

/** A positive whole number, or the default. */
export function checkCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw configError(
      `${name} must be a whole number above 0, got ${value}.`,
      `Leave ${name} out for the default (${fallback}).`,
    );
  }
  return value;
}

/** A positive finite number of milliseconds, or the default. */
export function checkMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw configError(
      `${name} must be a number of milliseconds above 0, got ${value}.`,
      `Leave ${name} out for the default (${fallback}).`,
    );
  }
  return value;
}
