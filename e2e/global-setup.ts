import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { heapArgs } from '../apps/server/bin/heap.mjs';
import { freePort } from '../apps/server/src/db/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `congvu serve --demo-if-empty` on a fresh embedded database, as `npm start` does. */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
    const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('web build failed');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-e2e-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server runs as the postgres user
  const port = await freePort();
  const { DATABASE_URL: _external, ...env } = process.env;
  const server: ChildProcess = spawn(
    process.execPath,
    [...heapArgs(), path.join(root, 'apps/server/bin/congvu.mjs'), 'serve', '--demo-if-empty'],
    {
      cwd: root,
      env: {
        ...env,
        CONGVU_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        CONGVU_LOG_LEVEL: 'warn',
        CONGVU_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  // The demo certificates are made after the server answers: the tests sign, so wait for them.
  let signingReady = false;
  server.stdout?.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (chunk.toString().includes('Chứng thư số mẫu đã sẵn sàng')) signingReady = true;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if (signingReady && (await fetch(`${baseUrl}/api/health`)).status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() - t0 > 150_000) throw new Error('server did not become healthy');
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('baseUrl', baseUrl);
  return async () => {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
