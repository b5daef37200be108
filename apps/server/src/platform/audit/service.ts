import type { Db } from '../../db/pool.ts';
import type { AuthContext } from '../policy.ts';
import { type ChainedFields, chainHash, GENESIS_HASH } from './chain.ts';
import { auditRepo } from './repo.ts';

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId?: string | null;
  summary?: Record<string, unknown>;
}

/** Who did it, taken from the request. */
export interface AuditActor {
  auth: AuthContext | null;
  ip: string | null;
  /** For events without a signed-in actor (sign-in failures): the official concerned. */
  officialId?: string | null;
}

/**
 * Appends one event to the hash chain. Call it inside the transaction that makes the change, so
 * the change and its record commit or roll back together.
 */
export async function recordAudit(trx: Db, actor: AuditActor, ev: AuditEvent): Promise<void> {
  const repo = auditRepo(trx);
  const prev = (await repo.lockHead()) ?? GENESIS_HASH;
  const fields: ChainedFields = {
    at: new Date(),
    actorId: actor.auth?.officialId ?? actor.officialId ?? null,
    onBehalfOfId: actor.auth?.actingFor?.id ?? null,
    tokenId: actor.auth?.tokenId ?? null,
    action: ev.action,
    entityType: ev.entityType,
    entityId: ev.entityId ?? null,
    summary: ev.summary ?? {},
    ip: actor.ip,
  };
  await repo.insert({
    at: fields.at,
    actor_id: fields.actorId,
    on_behalf_of_id: fields.onBehalfOfId,
    token_id: fields.tokenId,
    action: fields.action,
    entity_type: fields.entityType,
    entity_id: fields.entityId,
    summary: JSON.stringify(fields.summary),
    ip: fields.ip,
    prev_hash: prev,
    hash: chainHash(prev, fields),
  });
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt: string | null;
  reason: string | null;
}

/** Walks the whole chain; the first row whose link or hash does not match is reported. */
export async function verifyAudit(db: Db): Promise<VerifyResult> {
  const repo = auditRepo(db);
  let prev = GENESIS_HASH;
  let after = '0';
  let checked = 0;
  for (;;) {
    const rows = await repo.batch(after, 2000);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prev_hash !== prev) {
        return {
          ok: false,
          checked,
          brokenAt: r.id,
          reason: 'Liên kết chuỗi bị đứt: có bản ghi trước đó bị xóa hoặc sửa',
        };
      }
      const expect = chainHash(prev, {
        at: r.at,
        actorId: r.actor_id,
        onBehalfOfId: r.on_behalf_of_id,
        tokenId: r.token_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        summary: r.summary,
        ip: r.ip,
      });
      if (expect !== r.hash) {
        return {
          ok: false,
          checked,
          brokenAt: r.id,
          reason: 'Nội dung bản ghi không khớp mã băm: bản ghi đã bị sửa',
        };
      }
      prev = r.hash;
      after = r.id;
      checked++;
    }
  }
  return { ok: true, checked, brokenAt: null, reason: null };
}

export function listAudit(db: Db, q: Parameters<ReturnType<typeof auditRepo>['list']>[0]) {
  return auditRepo(db).list(q);
}
