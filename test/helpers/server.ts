import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1 at a port the kernel chose. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Anything with Node's `listen(port, host)` that returns an `http.Server` (an Express app, a bare server). */
export type Listenable = { listen(port: number, host: string): Server } | Server;

/** Starts `app` on 127.0.0.1:0 and waits until it listens; `close` drops open connections too. */
export async function listen(app: Listenable): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1');
  if (!server.listening) await once(server, 'listening');
  return serverAt(server);
}

/** The URL and a `close` for a server that is already listening. */
export function serverAt(server: Server): Listening {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
