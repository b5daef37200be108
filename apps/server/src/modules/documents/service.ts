import type { RegisterIncoming, SECRECIES, URGENCIES } from '@congvu/contracts';

type Urgency = (typeof URGENCIES)[number];
type Secrecy = (typeof SECRECIES)[number];

import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { OrgService } from '../org/service.ts';
import { documentsPolicy } from './policy.ts';
import { documentsRepo } from './repo.ts';

/** Today and the current year in Việt Nam (registers count by the Vietnamese calendar year). */
function vnToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

const clean = (s: string | undefined) => (s === undefined || s === '' ? null : nfc(s));

export function documentsService(db: Db, org: OrgService) {
  const repo = documentsRepo(db);

  async function visibility(auth: AuthContext) {
    const who = auth.actingFor?.id ?? auth.officialId;
    const agencyIds = who ? await org.agencyIdsOf(who) : [];
    return documentsPolicy.visibility(auth, agencyIds);
  }

  const service = {
    async listTypes(asOf = vnToday()) {
      return (await repo.listTypes(asOf)).map((t) => ({
        id: t.id,
        name: t.name,
        abbreviation: t.abbreviation,
        validFrom: t.valid_from,
        validTo: t.valid_to,
      }));
    },

    async listRegisters(auth: AuthContext) {
      const v = await visibility(auth);
      return (await repo.listRegisters(v.agencyIds)).map(presentRegister);
    },

    async createRegister(
      actor: AuditActor,
      input: { agencyId: string; kind: 'incoming' | 'outgoing'; secret: boolean; code: string; name: string },
    ) {
      await org.getAgency(input.agencyId);
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if (await r.registerByCode(input.agencyId, input.kind, input.code))
          throw new AppError('REGISTER_CODE_TAKEN');
        const row = await r.insertRegister({
          id: uuidv7(),
          agency_id: input.agencyId,
          kind: input.kind,
          secret: input.secret,
          code: input.code,
          name: input.name,
        });
        await recordAudit(trx, actor, {
          action: 'documents.register.created',
          entityType: 'register',
          entityId: row.id,
          summary: { after: presentRegister(row) },
        });
        return presentRegister(row);
      });
    },

    /**
     * Vào sổ văn bản đến: the next arrival number of the register for this year, the document,
     * its files and the first timeline events, in one transaction. The same idempotency key
     * returns the first result instead of a second entry.
     */
    async registerIncoming(
      actor: AuditActor & { auth: AuthContext },
      input: RegisterIncoming & { urgency: Urgency; secrecy: Secrecy },
      idempotencyKey: string | null,
    ) {
      if (idempotencyKey) {
        const prior = await repo.entryByIdempotencyKey(idempotencyKey);
        if (prior)
          return { documentId: prior.document_id, number: prior.number, year: prior.year, replayed: true };
      }
      const register = await repo.findRegister(input.registerId);
      if (register?.kind !== 'incoming') throw new AppError('REGISTER_NOT_FOUND');
      if (!documentsPolicy.canRegisterInto(actor.auth, register.agency_id)) throw new AppError('FORBIDDEN');
      if ((input.secrecy !== 'none') !== register.secret) throw new AppError('REGISTER_KIND_MISMATCH');
      const today = vnToday();
      if (!(await repo.findType(input.typeId, input.issuedOn ?? today)))
        throw new AppError('DOCUMENT_TYPE_UNKNOWN');
      const files = input.files ?? [];
      const shas = [...new Set(files.map((f) => f.sha256))];
      if (shas.length && Number((await repo.countBlobs(shas)).n) !== shas.length)
        throw new AppError('FILE_NOT_FOUND');
      const year = Number(today.slice(0, 4));
      const documentId = uuidv7();
      try {
        return await db.transaction().execute(async (trx) => {
          const r = documentsRepo(trx);
          const number = await r.nextNumber(register.id, year);
          await r.insertDocument({
            id: documentId,
            agency_id: register.agency_id,
            direction: 'incoming',
            channel: 'paper',
            type_id: input.typeId,
            number: clean(input.number),
            notation: clean(input.notation),
            issued_on: input.issuedOn ?? null,
            place: clean(input.place),
            issuer_name: nfc(input.issuerName),
            issuer_agency_id: null,
            subject: nfc(input.subject),
            signer_competence: clean(input.signerCompetence),
            signer_position: clean(input.signerPosition),
            signer_name: clean(input.signerName),
            urgency: input.urgency,
            secrecy: input.secrecy,
            page_count: input.pageCount ?? null,
            due_on: input.dueOn ?? null,
            status: 'registered',
            created_by: actor.auth.officialId,
          });
          await r.insertEntry({
            id: uuidv7(),
            register_id: register.id,
            year,
            number,
            document_id: documentId,
            registered_by: actor.auth.officialId,
            idempotency_key: idempotencyKey,
          });
          await r.insertFiles(
            files.map((f, i) => ({
              document_id: documentId,
              sha256: f.sha256,
              name: f.name,
              role: f.role,
              position: i + 1,
              added_by: actor.auth.officialId,
            })),
          );
          await r.insertEvent({
            document_id: documentId,
            kind: 'received',
            actor_id: actor.auth.officialId,
            data: { channel: 'paper' },
          });
          await r.insertEvent({
            document_id: documentId,
            kind: 'registered',
            actor_id: actor.auth.officialId,
            data: { registerId: register.id, year, number },
          });
          await recordAudit(trx, actor, {
            action: 'documents.incoming.registered',
            entityType: 'document',
            entityId: documentId,
            summary: { registerId: register.id, year, number, subject: input.subject },
          });
          return { documentId, number, year, replayed: false };
        });
      } catch (e) {
        // Two requests with the same key raced: the loser answers with the winner's entry.
        if (idempotencyKey && (e as { code?: string }).code === '23505') {
          const prior = await repo.entryByIdempotencyKey(idempotencyKey);
          if (prior)
            return { documentId: prior.document_id, number: prior.number, year: prior.year, replayed: true };
        }
        throw e;
      }
    },

    async search(auth: AuthContext, q: Parameters<ReturnType<typeof documentsRepo>['search']>[1]) {
      const v = await visibility(auth);
      const { rows, total } = await repo.search(v, { ...q, q: q.q ? nfc(q.q) : undefined });
      return { total, items: rows.map(presentSummary) };
    },

    async get(auth: AuthContext, id: string) {
      const d = await repo.findDocument(id);
      // A document one may not read is reported as missing, so its existence does not leak.
      if (!d || !documentsPolicy.canRead(await visibility(auth), d)) throw new AppError('DOCUMENT_NOT_FOUND');
      const [files, events] = await Promise.all([repo.filesOf(id), repo.eventsOf(id)]);
      return {
        ...presentSummary(d),
        channel: d.channel,
        place: d.place,
        signerCompetence: d.signer_competence,
        signerPosition: d.signer_position,
        signerName: d.signer_name,
        pageCount: d.page_count,
        registerId: d.register_id,
        registerYear: d.register_year,
        files: files.map((f) => ({ sha256: f.sha256, name: f.name, role: f.role, position: f.position })),
        timeline: events.map((e) => ({
          kind: e.kind,
          at: e.at.toISOString(),
          actorId: e.actor_id,
          actorName: e.actor_name,
          data: e.data,
        })),
      };
    },
  };
  return service;
}

function presentRegister(r: {
  id: string;
  agency_id: string;
  kind: 'incoming' | 'outgoing';
  secret: boolean;
  code: string;
  name: string;
}) {
  return { id: r.id, agencyId: r.agency_id, kind: r.kind, secret: r.secret, code: r.code, name: r.name };
}

function presentSummary(d: {
  id: string;
  agency_id: string;
  direction: 'incoming' | 'outgoing';
  type_id: string;
  type_name: string;
  number: string | null;
  notation: string | null;
  issued_on: string | null;
  issuer_name: string;
  subject: string;
  urgency: 'normal' | 'urgent' | 'very_urgent' | 'flash';
  secrecy: 'none' | 'confidential' | 'secret' | 'top_secret';
  status: string;
  due_on: string | null;
  register_number: number | null;
  registered_at: Date | null;
}) {
  return {
    id: d.id,
    agencyId: d.agency_id,
    direction: d.direction,
    typeId: d.type_id,
    typeName: d.type_name,
    number: d.number,
    notation: d.notation,
    issuedOn: d.issued_on,
    issuerName: d.issuer_name,
    subject: d.subject,
    urgency: d.urgency,
    secrecy: d.secrecy,
    status: d.status,
    registerNumber: d.register_number,
    registeredAt: d.registered_at?.toISOString() ?? null,
    dueOn: d.due_on,
  };
}

export type DocumentsService = ReturnType<typeof documentsService>;
