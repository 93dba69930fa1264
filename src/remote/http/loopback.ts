/**
 * Plain HTTP is refused for every remote except one on this machine (an emulator): both
 * providers' configs ask this before a token or key is ever sent.
 */

/** 127.0.0.0/8, ::1 and localhost: plain HTTP never leaves the machine there. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  if (host === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}
