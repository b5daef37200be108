#!/usr/bin/env node
// `npm run bench -- <name> [--quick]` runs bench/<name>.ts; without a name, lists them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const names = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const [name, ...rest] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`Usage: npm run bench -- <${names.join('|')}> [--quick]`);
  process.exit(name ? 2 : 0);
}
const tsx = path.join(here, '../node_modules/.bin/tsx');
const r = spawnSync(tsx, [path.join(here, `${name}.ts`), ...rest], { stdio: 'inherit' });
process.exit(r.status ?? 1);
