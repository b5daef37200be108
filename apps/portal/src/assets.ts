import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The portal's one stylesheet, read once, with a short content hash for cache busting. */
export function portalCss(): { body: string; hash: string } {
  const body = fs.readFileSync(path.resolve(import.meta.dirname, '../public/portal.css'), 'utf8');
  return { body, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}
