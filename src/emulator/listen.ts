/** Starting and stopping an emulator's HTTP server, the same for every provider's emulator. */
import type { Server } from 'node:http';
import { SyncError } from '../core/errors.js';

export interface Listening {
  /** The port actually bound (the one picked when 0 was asked). */
  port: number;
  /** `host` as it goes in a URL: an IPv6 address in brackets. */
  shownHost: string;
  /**
   * Stops listening, ends every connection (hanging ones and idle keep-alive sockets would
   * otherwise hold it forever), then runs `after` (saving state, say). Idempotent.
   */
  close(): Promise<void>;
}

export async function listen(
  server: Server,
  host: string,
  port: number,
  hooks: { onFail?: () => void; before?: () => void; after?: () => Promise<void> } = {},
): Promise<Listening> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (caught) {
    hooks.onFail?.();
    throw new SyncError(
      'ERR_EMULATOR',
      `cannot listen on ${host}:${port}: ${caught instanceof Error ? caught.message : String(caught)}`,
      { cause: caught, hint: 'pick another --port (0 picks a free one) or --host' },
    );
  }
  const address = server.address();
  let closing: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    shownHost: host.includes(':') && !host.startsWith('[') ? `[${host}]` : host,
    close: () => {
      closing ??= (async () => {
        hooks.before?.();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await hooks.after?.();
      })();
      return closing;
    },
  };
}
