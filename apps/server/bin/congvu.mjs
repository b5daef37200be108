#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader (no build step). The long-running commands run with
// a bounded heap (heap.mjs): when node was started without one, the command is run again in a
// child node that has it; this process then only forwards signals and the exit code.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { heapArgs } from './heap.mjs';

const cmd = process.argv[2];
const longRunning = cmd === undefined || cmd === 'serve' || cmd === 'hub' || cmd === '--demo-if-empty';
let bound = [];
try {
  bound = longRunning ? heapArgs() : [];
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

if (bound.length) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...bound, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) =>
    process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)),
  );
} else {
  register();
  await import('../src/main.ts');
}
