/** Where the client talks to and with which token, checked before any request is made. */
import { SyncError, InputError } from '../../../core/errors.js';
import { isLoopbackHost } from '../../../remote/http/loopback.js';

export const DEFAULT_HELCIM_API_URL = 'https://api.helcim.com/v2';
export const TOKEN_ENV = 'HELCIM_API_TOKEN';
export const URL_ENV = 'HELCIM_API_URL';

export interface ResolvedBaseUrl {
  /** `https://api.helcim.com` */
  origin: string;
  /** `/v2`, without a trailing slash; request paths are appended to it. */
  basePath: string;
}

export function resolveBaseUrl(raw: string): ResolvedBaseUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`The Helcim API URL "${raw}" is not a valid URL.`, {
      code: 'ERR_CONFIG',
      hint: `Set ${URL_ENV} to a full URL such as ${DEFAULT_HELCIM_API_URL}.`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new InputError('The Helcim API URL must not carry a user name or password.', {
      code: 'ERR_CONFIG',
      hint: `The token goes in ${TOKEN_ENV}, never in the URL.`,
    });
  }
  const secure = url.protocol === 'https:';
  if (!secure && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new SyncError(
      'ERR_INSECURE_URL',
      `Refusing to send the API token to ${url.protocol}//${url.host}: only HTTPS is allowed.`,
      {
        hint: `Use an https:// URL; plain http:// is accepted only for loopback hosts (127.0.0.1, ::1, localhost), e.g. a local emulator.`,
      },
    );
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** A header-safe token; the message never repeats it. */
export function checkToken(token: string | undefined): string {
  const trimmed = token?.trim() ?? '';
  if (trimmed === '') {
    throw new SyncError('ERR_MISSING_TOKEN', 'No Helcim API token was given.', {
      hint: `Set the environment variable ${TOKEN_ENV} to your Helcim API token.`,
    });
  }
  // Anything outside visible ASCII would make the HTTP layer throw, echoing the header value.
  if (!/^[\x21-\x7e]+$/.test(trimmed)) {
    throw new InputError(`${TOKEN_ENV} contains characters that cannot be sent in a header.`, {
      code: 'ERR_CONFIG',
      hint: `Copy the token again into ${TOKEN_ENV} without spaces or line breaks.`,
    });
  }
  return trimmed;
}
