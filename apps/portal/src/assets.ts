import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The portal's one stylesheet, read once. Every page inlines it in a `<style>` element (one round
 * trip for a first visit on a slow network); `cspSource` is the CSP source that allows exactly
 * these bytes (`'sha256-…'` of the UTF-8 text, as browsers hash an inline style's content).
 */
export function portalCss(): { body: string; cspSource: string } {
  const body = fs.readFileSync(path.resolve(import.meta.dirname, '../public/portal.css'), 'utf8');
  if (/<\/style/i.test(body)) throw new Error('portal.css must not contain </style');
  return { body, cspSource: `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'` };
}
