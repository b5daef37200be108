import fs from 'node:fs';
import path from 'node:path';

/**
 * The shared fixtures folder (never copied into the repository): CONGVU_SHARED_FIXTURES, or the
 * first `shared/fixtures` found walking up from here (the repository's sibling `shared`).
 * null when absent: tests that need it skip and say why.
 */
export function sharedFixtures(sub: string): string | null {
  const env = process.env.CONGVU_SHARED_FIXTURES;
  if (env) return fs.existsSync(path.join(env, sub)) ? path.join(env, sub) : null;
  let dir = import.meta.dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'fixtures', sub);
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
