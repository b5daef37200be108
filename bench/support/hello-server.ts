/**
 * Child process of bench/lookup.ts: the ceiling, a bare Fastify hello-world on loopback (no
 * plugins, no logger, as the app's server is run there). Prints `PORT <n>`; exits on a line `exit`.
 */
import readline from 'node:readline';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const addr = app.server.address();
console.log(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}`);
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() === 'exit') {
    await app.close();
    process.exit(0);
  }
});
