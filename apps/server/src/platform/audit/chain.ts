import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export interface ChainedFields {
  at: Date;
  actorId: string | null;
  onBehalfOfId: string | null;
  tokenId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
  ip: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHash: string, f: ChainedFields): string {
  const body = canonicalJson({
    at: f.at.toISOString(),
    actorId: f.actorId,
    onBehalfOfId: f.onBehalfOfId,
    tokenId: f.tokenId,
    action: f.action,
    entityType: f.entityType,
    entityId: f.entityId,
    summary: f.summary,
    ip: f.ip,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
