#!/usr/bin/env node
// `npm start`: build the staff web app when its sources are newer than the build, then run
// `congvu serve` on the embedded database, seeding the demo province into an empty one.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapArgs } from '../apps/server/bin/heap.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const built = path.join(web, 'dist/index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(path.join(web, 'src')), newest(path.join(root, 'packages/contracts/src')));
if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
  console.log('Đang dựng giao diện web (apps/web)...');
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The heap bound given here directly (no second node process to start it with one).
let bound;
try {
  bound = heapArgs();
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
const child = spawn(
  process.execPath,
  [
    ...bound,
    path.join(root, 'apps/server/bin/congvu.mjs'),
    'serve',
    '--demo-if-empty',
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: 'inherit',
    // The demo pays fees through the local gateway simulator (docs/payments.md).
    env: { CONGVU_PAY_SIMULATOR: '1', ...process.env },
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
