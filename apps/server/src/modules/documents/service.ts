import {
  type AssignDocument,
  type CreateOutgoing,
  type RegisterBookQuery,
  type RegisterIncoming,
  type SECRECIES,
  type SigningInput,
  type URGENCIES,
  WORK_QUEUES,
  type WorkQueue,
} from '@congvu/contracts';

type Urgency = (typeof URGENCIES)[number];
type CreateOutgoingInput = CreateOutgoing & {
  urgency: Urgency;
  secrecy: Secrecy;
  files: NonNullable<CreateOutgoing['files']>;
};
type Secrecy = (typeof SECRECIES)[number];

import { nfc, searchKey } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { localDay } from '../../platform/vntime.ts';
import type { CalendarService } from '../calendar/service.ts';
import type { OrgService } from '../org/service.ts';
import { BOOK_ROW_LIMIT, type BookKind, bookTable } from './books.ts';
import { publishDocumentEvent, publishDocumentStatus } from './events.ts';
import { buildNotation, NotationError } from './notation.ts';
import { documentsPolicy } from './policy.ts';
import { type DocumentSearch, documentsRepo } from './repo.ts';
import { documentsHandling } from './service-handling.ts';
import { noSigner, type Signer } from './signer.ts';
import { requestVerification } from './verification.ts';

/** Today and the current year in Việt Nam (registers count by the Vietnamese calendar year). */
function vnToday(now = new Date()): string {
  return localDay(now);
}

const clean = (s: string | undefined) => (s === undefined || s === '' ? null : nfc(s));

/**
 * Records a status event once per document and, when this call recorded it, publishes it on the
 * outbox (documents.status) in the same transaction.
 */
async function recordStatus(
  trx: Db,
  e: Parameters<ReturnType<typeof documentsRepo>['insertStatusEventOnce']>[0],
): Promise<void> {
  if (await documentsRepo(trx).insertStatusEventOnce(e))
    await publishDocumentStatus(trx, {
      documentId: e.document_id,
      kind: e.kind,
      actorId: e.actor_id,
      at: new Date().toISOString(),
      ...(typeof e.data?.reason === 'string' ? { note: e.data.reason } : {}),
    });
}

export function documentsService(
  db: Db,
  org: OrgService,
  calendar: CalendarService,
  signer: Signer = noSigner,
) {
  const repo = documentsRepo(db);

  async function visibility(auth: AuthContext) {
    const who = auth.actingFor?.id ?? auth.officialId;
    const [agencyIds, departmentIds] = who
      ? await Promise.all([org.agencyIdsOf(who), org.departmentIdsOf(who)])
      : [[], []];
    return documentsPolicy.visibility(auth, who, agencyIds, departmentIds);
  }

  /** The document if the reader may see it; otherwise "not found", so existence does not leak. */
  async function readable(auth: AuthContext, id: string) {
    const v = await visibility(auth);
    const d = await repo.findDocument(id);
    if (!d) throw new AppError('DOCUMENT_NOT_FOUND');
    const assigned =
      d.secrecy !== 'none' && (await repo.isAssignedTo(id, v.officialId, v.departmentIds)) !== undefined;
    if (!documentsPolicy.canRead(v, d, assigned)) throw new AppError('DOCUMENT_NOT_FOUND');
    return { v, d };
  }

  const handling = documentsHandling({ db, org, signer, readable });

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

    /**
     * A register as NĐ 30 Phụ lục IV prints it, for a year and range: officials of the agency see
     * its ordinary registers; secret ones only its leaders and clerks.
     */
    async book(auth: AuthContext, registerId: string, q: RegisterBookQuery) {
      const v = await visibility(auth);
      const register = await repo.findRegister(registerId);
      if (!register || !v.agencyIds.includes(register.agency_id)) throw new AppError('REGISTER_NOT_FOUND');
      if (
        register.secret &&
        !v.leaderOf.includes(register.agency_id) &&
        !v.clerkOf.includes(register.agency_id)
      )
        throw new AppError('FORBIDDEN');
      if (q.kind === 'tracking' && register.kind !== 'incoming')
        throw new AppError('VALIDATION_ERROR', { kind: 'Sổ theo dõi giải quyết chỉ có với sổ văn bản đến' });
      const kind: BookKind = q.kind === 'tracking' ? 'tracking' : register.kind;
      const [agency, entries] = await Promise.all([
        org.getAgency(register.agency_id),
        repo.bookEntries(register.id, q.year, q, BOOK_ROW_LIMIT + 1),
      ]);
      // A whole year of a large agency is printed in parts (by date or number range).
      if (entries.length > BOOK_ROW_LIMIT)
        throw new AppError('REGISTER_BOOK_TOO_LARGE', { limit: BOOK_ROW_LIMIT });
      const table = bookTable(
        kind,
        { agencyName: agency.name, registerName: register.name, registerCode: register.code, ...q },
        entries,
      );
      return { register, kind, table, documentIds: entries.map((e) => e.id) };
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
      if (
        shas.length &&
        Number((await repo.countOwnBlobs(shas, actor.auth.officialId ?? '')).n) !== shas.length
      )
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
          await publishDocumentEvent(trx, {
            kind: 'registered',
            documentId,
            subject: nfc(input.subject),
            secret: input.secrecy !== 'none',
            actorId: actor.auth.officialId,
            agencyId: register.agency_id,
            number,
            urgency: input.urgency,
          });
          await recordAudit(trx, actor, {
            action: 'documents.incoming.registered',
            entityType: 'document',
            entityId: documentId,
            summary: { registerId: register.id, year, number, subject: input.subject },
          });
          if (files.length) await requestVerification(trx, documentId);
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

    async search(auth: AuthContext, q: DocumentSearch) {
      const v = await visibility(auth);
      const { rows, hasMore } = await repo.search(v, { ...q, q: q.q ? nfc(q.q) : undefined });
      return { hasMore, items: rows.map(presentSummary) };
    },
    /** The number of matches of a search, by the same visibility rule, up to 1 000. */
    async count(auth: AuthContext, q: DocumentSearch) {
      const v = await visibility(auth);
      return repo.count(v, { ...q, q: q.q ? nfc(q.q) : undefined });
    },
    async worklist(auth: AuthContext, queue: WorkQueue, page: number, pageSize: number) {
      const v = await visibility(auth);
      const { rows, total } = await repo.worklist(v, queue, vnToday(), page, pageSize);
      return { total, items: rows.map(presentSummary) };
    },

    /** How many items wait in each queue (for the navigation badges). */
    async worklistCounts(auth: AuthContext) {
      const v = await visibility(auth);
      const today = vnToday();
      const counts = await Promise.all(
        WORK_QUEUES.map(async (q) => [q, (await repo.worklist(v, q, today, 1, 1)).total] as const),
      );
      return Object.fromEntries(counts) as Record<WorkQueue, number>;
    },

    async get(auth: AuthContext, id: string) {
      const { d } = await readable(auth, id);
      const [files, events, assignments, links, checks] = await Promise.all([
        repo.filesOf(id),
        repo.eventsOf(id),
        repo.assignmentsOf(id),
        repo.replyLinks(id, d.reply_to_id),
        repo.signatureChecksOf(id),
      ]);
      const label = (x: {
        type_name: string;
        number: string | null;
        notation: string | null;
        subject: string;
      }) => (x.number ? `${x.type_name} ${x.number}/${x.notation ?? ''}` : `${x.type_name}: ${x.subject}`);
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
        assignments: assignments.map(presentAssignment),
        replyTo: links.replyTo ? { id: links.replyTo.id, label: label(links.replyTo) } : null,
        replies: links.replies.map((x) => ({ id: x.id, label: label(x), status: x.status })),
        signatureChecks: checks.map((c) => ({
          sha256: c.sha256,
          name: c.name,
          verifiedAt: c.verified_at.toISOString(),
          signatureCount: c.signature_count,
          valid: c.valid,
          trusted: c.trusted,
          text: c.report_text,
          signers: (
            (
              c.report as {
                signatures?: {
                  signer: { commonName?: string };
                  valid: boolean;
                  trusted: boolean;
                  signingTime?: string;
                }[];
              }
            ).signatures ?? []
          ).map((x) => ({
            name: x.signer.commonName ?? null,
            valid: x.valid,
            trusted: x.trusted,
            signingTime: x.signingTime ?? null,
          })),
        })),
        ...(await handling.internals.detail(d)),
      };
    },

    /** Any file attached to a document (files, draft versions, opinion files), to its readers. */
    async attachedFile(auth: AuthContext, id: string, sha256: string) {
      await readable(auth, id);
      const f = await repo.attachedBlob(id, sha256);
      if (!f) throw new AppError('FILE_NOT_FOUND');
      return f;
    },

    /** A file of a document, to whoever may read the document. */
    async file(auth: AuthContext, id: string, position: number) {
      await readable(auth, id);
      const f = await repo.fileAt(id, position);
      if (!f) throw new AppError('FILE_NOT_FOUND');
      return f;
    },

    /**
     * Bút phê and phân công: a leader assigns at the top level; whoever holds an assignment may
     * assign further below it (leader → department → specialist). Deadlines given in working
     * days are computed with the working calendar.
     */
    async assign(actor: AuditActor & { auth: AuthContext }, documentId: string, input: AssignDocument) {
      const { v, d } = await readable(actor.auth, documentId);
      const by = v.officialId;
      if (!by) throw new AppError('FORBIDDEN');
      if (input.parentId) {
        const parent = await repo.findAssignment(input.parentId);
        if (!parent || parent.document_id !== documentId) throw new AppError('ASSIGNMENT_NOT_FOUND');
        if (!documentsPolicy.isAssignee(v, parent) || parent.role === 'info') throw new AppError('FORBIDDEN');
        if (parent.status === 'done' || parent.status === 'returned') throw new AppError('ASSIGNMENT_STATE');
      } else if (!documentsPolicy.canAssign(v, d)) {
        throw new AppError('FORBIDDEN');
      }
      for (const item of input.items) {
        if (item.departmentId) {
          const dep = await org.getDepartment(item.departmentId);
          if (dep.agencyId !== d.agency_id) throw new AppError('ASSIGNEE_INVALID');
        }
        if (item.officialId && !(await org.agencyIdsOf(item.officialId)).includes(d.agency_id)) {
          throw new AppError('ASSIGNEE_INVALID');
        }
      }
      const today = vnToday();
      const rows = await Promise.all(
        input.items.map(async (item) => ({
          id: uuidv7(),
          document_id: documentId,
          parent_id: input.parentId ?? null,
          assigner_id: by,
          role: item.role,
          assignee_official_id: item.officialId ?? null,
          assignee_department_id: item.departmentId ?? null,
          instruction: input.instruction ? nfc(input.instruction) : null,
          deadline:
            item.deadline ??
            (item.deadlineWorkingDays
              ? await calendar.addWorkingDays(today, item.deadlineWorkingDays)
              : null),
        })),
      );
      try {
        await db.transaction().execute(async (trx) => {
          const r = documentsRepo(trx);
          await r.insertAssignments(rows);
          await r.insertEvent({
            document_id: documentId,
            kind: 'assignment',
            actor_id: by,
            data: {
              instruction: input.instruction ?? null,
              items: rows.map((x) => ({ id: x.id, role: x.role, deadline: x.deadline })),
            },
          });
          await recordStatus(trx, { document_id: documentId, kind: 'assigned', actor_id: by });
          if (d.status === 'registered') await r.setStatus(documentId, 'assigned');
          await publishDocumentEvent(trx, {
            kind: 'assigned',
            documentId,
            subject: d.subject,
            secret: d.secrecy !== 'none',
            actorId: by,
            assignments: rows.map((x) => ({
              id: x.id,
              role: x.role,
              officialId: x.assignee_official_id,
              departmentId: x.assignee_department_id,
              deadline: x.deadline,
            })),
          });
          await recordAudit(trx, actor, {
            action: 'documents.assigned',
            entityType: 'document',
            entityId: documentId,
            summary: {
              parentId: input.parentId ?? null,
              items: rows.map((x) => ({
                role: x.role,
                official: x.assignee_official_id,
                department: x.assignee_department_id,
                deadline: x.deadline,
              })),
            },
          });
        });
      } catch (e) {
        if ((e as { constraint?: string }).constraint === 'document_assignments_one_lead') {
          throw new AppError('VALIDATION_ERROR', { items: 'Đã có đơn vị, cá nhân chủ trì ở cấp này' });
        }
        throw e;
      }
      return (await repo.assignmentsOf(documentId)).map(presentAssignment);
    },

    /** Dự thảo văn bản đi, sent at once to its reviewers in order (the last one signs). */
    async createOutgoing(actor: AuditActor & { auth: AuthContext }, input: CreateOutgoingInput) {
      const v = await visibility(actor.auth);
      if (!v.officialId || !v.agencyIds.includes(input.agencyId)) throw new AppError('FORBIDDEN');
      const today = vnToday();
      if (!(await repo.findType(input.typeId, today))) throw new AppError('DOCUMENT_TYPE_UNKNOWN');
      const agency = await org.getAgency(input.agencyId);
      const steps = handling.internals.stepsOf(input);
      await handling.internals.checkChain(steps, input.agencyId);
      if (input.replyToId) {
        const { d: answered } = await readable(actor.auth, input.replyToId);
        if (answered.agency_id !== input.agencyId || answered.direction !== 'incoming')
          throw new AppError('VALIDATION_ERROR', { replyToId: 'Chỉ trả lời văn bản đến của cơ quan mình' });
      }
      const recipients = await Promise.all(
        input.recipients.map(async (r) => {
          if ('agencyId' in r)
            return { agency_id: r.agencyId, name: (await org.getAgency(r.agencyId)).name, agency_code: null };
          if ('agencyCode' in r) {
            // An agency of this installation given by code is delivered to as such.
            const own = await org.findActiveAgencyIdByCode(r.agencyCode);
            return own
              ? { agency_id: own, name: (await org.getAgency(own)).name, agency_code: null }
              : { agency_id: null, name: nfc(r.name), agency_code: r.agencyCode };
          }
          return { agency_id: null, name: nfc(r.name), agency_code: null };
        }),
      );
      const files = input.files ?? [];
      const shas = [...new Set(files.map((f) => f.sha256))];
      if (
        shas.length &&
        Number((await repo.countOwnBlobs(shas, actor.auth.officialId ?? '')).n) !== shas.length
      )
        throw new AppError('FILE_NOT_FOUND');
      const id = uuidv7();
      const by = v.officialId;
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        await r.insertDocument({
          id,
          agency_id: input.agencyId,
          direction: 'outgoing',
          channel: 'electronic',
          type_id: input.typeId,
          number: null,
          notation: null,
          issued_on: null,
          place: null,
          issuer_name: agency.name,
          issuer_agency_id: agency.id,
          subject: nfc(input.subject),
          signer_competence: clean(input.signerCompetence),
          signer_position: clean(input.signerPosition),
          signer_name: clean(input.signerName),
          urgency: input.urgency,
          secrecy: input.secrecy,
          page_count: input.pageCount ?? null,
          due_on: null,
          status: 'in_review',
          created_by: by,
          drafting_unit: input.draftingUnit ?? null,
          typist_initials: clean(input.typistInitials),
          source_document_id: null,
          reply_to_id: input.replyToId ?? null,
        });
        await r.insertFiles(
          files.map((f, i) => ({
            document_id: id,
            sha256: f.sha256,
            name: f.name,
            role: f.role,
            position: i + 1,
            added_by: by,
          })),
        );
        await r.insertRecipients(recipients.map((x, i) => ({ document_id: id, position: i + 1, ...x })));
        await r.insertApprovals(handling.internals.chainRows(id, 1, steps));
        const main = files.find((f) => f.role === 'main');
        if (main) await handling.internals.firstVersion(trx, id, main, by);
        await r.insertEvent({
          document_id: id,
          kind: 'drafted',
          actor_id: by,
          data: { steps },
        });
        // Every reviewer of the first step (one, or a parallel group) is told it is their turn.
        const first = steps[0]!;
        for (const reviewerId of 'reviewerId' in first ? [first.reviewerId] : first.parallel)
          await publishDocumentEvent(trx, {
            kind: 'submitted',
            documentId: id,
            subject: nfc(input.subject),
            secret: input.secrecy !== 'none',
            actorId: by,
            round: 1,
            step: 1,
            reviewerId,
          });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.drafted',
          entityType: 'document',
          entityId: id,
          summary: { subject: input.subject, steps },
        });
      });
      return { documentId: id };
    },

    /**
     * Cấp số (NĐ 30 art. 14 step 1–2): the clerk takes the next number of the outgoing register
     * and the document is entered in it. Done once: asking again answers the same number.
     */
    async numberDocument(actor: AuditActor & { auth: AuthContext }, id: string, registerId: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'approved') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      if (d.number && d.notation && d.issued_on)
        return { number: d.number, notation: d.notation, issuedOn: d.issued_on };
      const register = await repo.findRegister(registerId);
      if (register?.kind !== 'outgoing' || register.agency_id !== d.agency_id)
        throw new AppError('REGISTER_NOT_FOUND');
      if ((d.secrecy !== 'none') !== register.secret) throw new AppError('REGISTER_KIND_MISMATCH');
      const type = await repo.findType(d.type_id, vnToday());
      const agency = await org.getAgency(d.agency_id);
      if (!type || !agency.shortName) throw new AppError('NOTATION_INVALID');
      const today = vnToday();
      const year = Number(today.slice(0, 4));
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        const locked = await r.lockDocument(id);
        if (locked.status !== 'approved') throw new AppError('DOCUMENT_STATE');
        const again = await r.findDocument(id);
        if (again?.number && again.notation && again.issued_on)
          return { number: again.number, notation: again.notation, issuedOn: again.issued_on };
        const n = await r.nextNumber(register.id, year);
        let built: ReturnType<typeof buildNotation>;
        try {
          built = buildNotation({
            number: n,
            typeAbbreviation: type.abbreviation,
            agencyAbbreviation: agency.shortName!,
            unitAbbreviation: d.drafting_unit,
          });
        } catch (e) {
          if (e instanceof NotationError) throw new AppError('NOTATION_INVALID', { reason: e.message });
          throw e;
        }
        if (Number((await r.setNumber(id, built.number, built.notation, today)).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        await r.insertEntry({
          id: uuidv7(),
          register_id: register.id,
          year,
          number: n,
          document_id: id,
          registered_by: v.officialId,
          idempotency_key: null,
        });
        await r.insertEvent({
          document_id: id,
          kind: 'numbered',
          actor_id: v.officialId,
          data: { registerId: register.id, year, number: built.number, notation: built.notation },
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.numbered',
          entityType: 'document',
          entityId: id,
          summary: { registerId: register.id, year, number: built.number, notation: built.notation },
        });
        return { number: built.number, notation: built.notation, issuedOn: today };
      });
    },

    /**
     * Client-side agency signature: numbers the document (if not yet), then returns what the
     * agency's token must sign; `issue` completes with the token's answers.
     */
    async startAgencySigning(actor: AuditActor & { auth: AuthContext }, id: string, registerId: string) {
      const numbered = await service.numberDocument(actor, id, registerId);
      const { v, d } = await readable(actor.auth, id);
      const agency = await org.getAgency(d.agency_id);
      const req = await handling.internals.agencyRequest(
        d,
        v.officialId!,
        agency.name,
        `${numbered.number}/${numbered.notation}`,
      );
      if (!req) throw new AppError('SIGNING_FILE_NOT_PDF');
      return signer.startAgency(req);
    },

    /**
     * Phát hành (NĐ 30 art. 14): the number (cấp số, see `numberDocument`), then the agency's
     * digital signature on the main file and the appendices, made by the clerk and verified —
     * the main file must carry the signer's and the agency's valid signatures — and only then is
     * the document issued and an electronic copy delivered to every recipient agency of this
     * installation. A document without a main file was signed and sealed on paper: it is
     * numbered and issued, and nothing is sent electronically.
     */
    async issue(
      actor: AuditActor & { auth: AuthContext },
      id: string,
      registerId: string,
      signing?: SigningInput,
    ) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'approved') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      const agency = await org.getAgency(d.agency_id);
      const main = (await repo.filesOf(id)).find((f) => f.role === 'main');
      if (main && !signing) throw new AppError('SIGNING_REQUIRED');
      const numbered = await service.numberDocument(actor, id, registerId);
      const req = await handling.internals.agencyRequest(
        d,
        v.officialId!,
        agency.name,
        `${numbered.number}/${numbered.notation}`,
      );
      const signed = req && signing ? await signer.signAgency(req, signing) : null;
      const recipients = await repo.recipientsOf(id);
      const clerk = v.officialId!;
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        const locked = await r.lockDocument(id);
        if (locked.status !== 'approved') throw new AppError('DOCUMENT_STATE');
        if (signed && req) {
          // Files changed while signing: what was signed is not what would be sent.
          const now = await r.filesOf(id);
          const same = (sha: string, position?: number) =>
            now.some((f) => f.sha256 === sha && (position === undefined || f.position === position));
          if (!same(req.file.sha256) || req.appendices.some((a) => !same(a.sha256, a.position)))
            throw new AppError('DOCUMENT_STATE');
          await handling.internals.addSignedVersion(
            r,
            id,
            signed.file,
            clerk,
            'Bản đã ký số của cơ quan, tổ chức (phát hành)',
          );
          for (const a of signed.appendices) await r.replaceFile(id, a.position, a.sha256);
        }
        if (Number((await r.setIssued(id)).numUpdatedRows) !== 1) throw new AppError('DOCUMENT_STATE');
        await r.setAgencySignature(id, signed ? 'signed' : 'unsigned');
        await r.insertEvent({
          document_id: id,
          kind: 'issued',
          actor_id: clerk,
          data: {
            number: numbered.number,
            notation: numbered.notation,
            agencySignature: signed ? 'signed' : 'unsigned',
            paper: !signed,
          },
        });
        const deliveredTo: { agencyId: string; documentId: string }[] = [];
        // Only a document carrying both valid signatures travels electronically (NĐ 30 art. 5).
        if (signed) {
          for (const rc of recipients) {
            if (!rc.agency_id) continue;
            const copyId = uuidv7();
            await r.insertDocument({
              id: copyId,
              agency_id: rc.agency_id,
              direction: 'incoming',
              channel: 'electronic',
              type_id: d.type_id,
              number: numbered.number,
              notation: numbered.notation,
              issued_on: numbered.issuedOn,
              place: d.place,
              issuer_name: agency.name,
              issuer_agency_id: agency.id,
              subject: d.subject,
              signer_competence: d.signer_competence,
              signer_position: d.signer_position,
              signer_name: d.signer_name,
              urgency: d.urgency,
              secrecy: d.secrecy,
              page_count: d.page_count,
              due_on: null,
              status: 'received',
              created_by: clerk,
              drafting_unit: null,
              typist_initials: null,
              source_document_id: id,
            });
            await r.copyFiles(id, copyId);
            await recordStatus(trx, {
              document_id: copyId,
              kind: 'received',
              actor_id: null,
              data: { from: agency.code, sourceDocumentId: id },
            });
            await r.setDelivered(id, rc.position, copyId);
            // The recipient's copy is verified on arrival, as any incoming document.
            await requestVerification(trx, copyId);
            deliveredTo.push({ agencyId: rc.agency_id, documentId: copyId });
          }
        }
        await publishDocumentEvent(trx, {
          kind: 'issued',
          documentId: id,
          subject: d.subject,
          secret: d.secrecy !== 'none',
          actorId: clerk,
          issuerName: agency.name,
          number: numbered.number,
          notation: numbered.notation,
          deliveredTo,
          // Recipients outside the installation get the signed document through the exchange.
          external: signed
            ? recipients.flatMap((rc) => (rc.agency_code ? [{ code: rc.agency_code, name: rc.name }] : []))
            : [],
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.issued',
          entityType: 'document',
          entityId: id,
          summary: {
            number: numbered.number,
            notation: numbered.notation,
            agencySignature: signed ? 'signed' : 'unsigned',
            deliveredTo,
          },
        });
        return { ...numbered, deliveredTo, paper: !signed };
      });
    },

    /** For an electronic copy delivered inside the installation: its source and its agency's code. */
    async copyOrigin(id: string): Promise<{ sourceDocumentId: string; agencyCode: string } | null> {
      const d = await repo.findDocument(id);
      if (!d?.source_document_id) return null;
      return { sourceDocumentId: d.source_document_id, agencyCode: (await org.getAgency(d.agency_id)).code };
    },

    /**
     * What the exchange needs to send an issued document: its header fields, its agency, its
     * files (main, appendices) and its recipients outside this installation.
     */
    async exchangeView(id: string) {
      const d = await repo.findDocument(id);
      if (d?.direction !== 'outgoing' || d.status !== 'issued') throw new AppError('DOCUMENT_NOT_FOUND');
      const agency = await org.getAgency(d.agency_id);
      const parent = agency.parentId ? await org.getAgency(agency.parentId) : null;
      const files = (await repo.filesOf(id)).filter((f) => f.role !== 'scan');
      const recipients = (await repo.recipientsOf(id)).filter((r) => r.agency_code);
      return {
        id: d.id,
        number: d.number ?? '',
        notation: d.notation ?? '',
        issuedOn: d.issued_on ?? vnToday(),
        place: d.place,
        typeName: d.type_name,
        subject: d.subject,
        signerCompetence: d.signer_competence,
        signerPosition: d.signer_position,
        signerName: d.signer_name,
        urgency: d.urgency,
        pageCount: d.page_count,
        dueOn: d.due_on,
        typistInitials: d.typist_initials,
        validity: d.validity,
        validityReason: d.validity_reason,
        agency: { code: agency.code, name: agency.name, parentName: parent?.name ?? null },
        files: files.map((f) => ({ sha256: f.sha256, name: f.name, role: f.role, mime: f.mime })),
        recipients: recipients.map((r) => ({ code: r.agency_code as string, name: r.name })),
        allRecipientNames: (await repo.recipientsOf(id)).map((r) => r.name),
      };
    },

    /**
     * An electronic document that arrived through the exchange, recorded in the caller's
     * transaction as an incoming document in state "received" (đã đến) of `agencyId`, with its
     * files (already in the blob store). The `received` status it records is what makes the
     * exchange answer 01.
     */
    async receiveElectronic(
      trx: Db,
      input: {
        id: string;
        agencyId: string;
        typeName: string;
        number: string;
        notation: string;
        issuedOn: string | null;
        place: string | null;
        issuerName: string;
        subject: string;
        signerCompetence: string | null;
        signerPosition: string | null;
        signerName: string | null;
        urgency: 'normal' | 'urgent' | 'very_urgent' | 'flash';
        pageCount: number | null;
        dueOn: string | null;
        files: { sha256: string; name: string; role: 'main' | 'appendix' }[];
        from: string;
      },
    ): Promise<{ typeMatched: boolean }> {
      const r = documentsRepo(trx);
      const types = await r.listTypes(vnToday());
      const key = (x: string) => searchKey(x);
      const type =
        types.find((t) => key(t.name) === key(input.typeName)) ??
        // an unknown type name is kept as a công văn, and the exchange records a warning
        types.find((t) => t.id === 'cong_van');
      if (!type) throw new AppError('DOCUMENT_TYPE_UNKNOWN');
      await r.insertDocument({
        id: input.id,
        agency_id: input.agencyId,
        direction: 'incoming',
        channel: 'electronic',
        type_id: type.id,
        number: input.number,
        notation: input.notation,
        issued_on: input.issuedOn,
        place: input.place,
        issuer_name: input.issuerName,
        issuer_agency_id: null,
        subject: input.subject,
        signer_competence: input.signerCompetence,
        signer_position: input.signerPosition,
        signer_name: input.signerName,
        urgency: input.urgency,
        secrecy: 'none',
        page_count: input.pageCount,
        due_on: input.dueOn,
        status: 'received',
        created_by: null,
        drafting_unit: null,
        typist_initials: null,
        source_document_id: null,
      });
      await r.insertFiles(
        input.files.map((f, i) => ({
          document_id: input.id,
          sha256: f.sha256,
          name: f.name,
          role: f.role,
          position: i + 1,
          added_by: null,
        })),
      );
      await recordStatus(trx, {
        document_id: input.id,
        kind: 'received',
        actor_id: null,
        data: { from: input.from, via: 'exchange' },
      });
      if (input.files.length) await requestVerification(trx, input.id);
      return { typeMatched: key(type.name) === key(input.typeName) };
    },

    /**
     * Trả lại (từ chối tiếp nhận, NĐ 30 art. 21.2): the clerk sends back an electronic incoming
     * document not yet registered (wrong recipient, failed checks), with the reason. The copy
     * stays, in state "returned"; the `returned` status (once per document) is what tells its
     * issuer (status 02 with the reason, through the exchange or inside the installation).
     */
    async returnIncoming(actor: AuditActor & { auth: AuthContext }, id: string, reason: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'incoming' || d.channel !== 'electronic') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      if (d.status === 'returned') throw new AppError('DOCUMENT_RETURNED');
      // A copy its issuer recalled or replaced is not answered any more.
      if (d.status !== 'received' || d.validity !== 'valid') throw new AppError('DOCUMENT_STATE');
      const why = nfc(reason);
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if (Number((await r.transition(id, 'received', 'returned')).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        await recordStatus(trx, {
          document_id: id,
          kind: 'returned',
          actor_id: v.officialId,
          data: { reason: why, note: 'Đã trả lại nơi gửi (từ chối tiếp nhận)' },
        });
        await recordAudit(trx, actor, {
          action: 'documents.incoming.returned',
          entityType: 'document',
          entityId: id,
          summary: { reason: why },
        });
        return { documentId: id, status: 'returned' as const };
      });
    },

    /** Vào sổ an electronic document that arrived from another agency of this installation. */
    async registerReceived(actor: AuditActor & { auth: AuthContext }, id: string, registerId: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction === 'incoming' && d.status === 'returned') throw new AppError('DOCUMENT_RETURNED');
      if (d.direction !== 'incoming' || d.status !== 'received') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      // A copy its issuer recalled or replaced is not registered (the replacement is).
      if (d.validity !== 'valid') throw new AppError('DOCUMENT_STATE');
      const register = await repo.findRegister(registerId);
      if (register?.kind !== 'incoming' || register.agency_id !== d.agency_id)
        throw new AppError('REGISTER_NOT_FOUND');
      if ((d.secrecy !== 'none') !== register.secret) throw new AppError('REGISTER_KIND_MISMATCH');
      const year = Number(vnToday().slice(0, 4));
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if (Number((await r.transition(id, 'received', 'registered')).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        const number = await r.nextNumber(register.id, year);
        await r.insertEntry({
          id: uuidv7(),
          register_id: register.id,
          year,
          number,
          document_id: id,
          registered_by: v.officialId,
          idempotency_key: null,
        });
        await recordStatus(trx, {
          document_id: id,
          kind: 'registered',
          actor_id: v.officialId,
          data: { registerId: register.id, year, number },
        });
        await publishDocumentEvent(trx, {
          kind: 'registered',
          documentId: id,
          subject: d.subject,
          secret: d.secrecy !== 'none',
          actorId: v.officialId,
          agencyId: d.agency_id,
          number,
          urgency: d.urgency,
        });
        await recordAudit(trx, actor, {
          action: 'documents.incoming.registered',
          entityType: 'document',
          entityId: id,
          summary: { registerId: register.id, year, number },
        });
        return { documentId: id, number, year, replayed: false };
      });
    },

    /** Start, finish or return an assignment; the first start and the lead's finish move the document. */
    async handle(
      actor: AuditActor & { auth: AuthContext },
      documentId: string,
      assignmentId: string,
      step: { kind: 'start' } | { kind: 'finish'; result: string } | { kind: 'return'; reason: string },
    ) {
      const { v, d } = await readable(actor.auth, documentId);
      const a = await repo.findAssignment(assignmentId);
      if (!a || a.document_id !== documentId) throw new AppError('ASSIGNMENT_NOT_FOUND');
      if (!documentsPolicy.isAssignee(v, a)) throw new AppError('FORBIDDEN');
      if (
        a.status === 'done' ||
        a.status === 'returned' ||
        (step.kind === 'start' && a.status !== 'pending')
      ) {
        throw new AppError('ASSIGNMENT_STATE');
      }
      const by = v.officialId;
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if (step.kind === 'start') {
          await r.updateAssignment(a.id, { status: 'in_progress' });
          await recordStatus(trx, { document_id: documentId, kind: 'in_progress', actor_id: by });
          await r.setStatus(documentId, 'in_progress');
        } else if (step.kind === 'finish') {
          await r.updateAssignment(a.id, { status: 'done', result: nfc(step.result) });
          await r.insertEvent({
            document_id: documentId,
            kind: 'assignment_done',
            actor_id: by,
            data: { assignmentId: a.id, result: step.result },
          });
          if (a.role === 'lead' && a.parent_id === null) {
            await recordStatus(trx, { document_id: documentId, kind: 'done', actor_id: by });
            await r.setStatus(documentId, 'done');
          }
        } else {
          await r.updateAssignment(a.id, { status: 'returned', result: nfc(step.reason) });
          await r.insertEvent({
            document_id: documentId,
            kind: 'assignment_returned',
            actor_id: by,
            data: { assignmentId: a.id, reason: step.reason },
          });
        }
        if (step.kind !== 'start')
          await publishDocumentEvent(trx, {
            kind: step.kind === 'finish' ? 'assignment_done' : 'assignment_returned',
            documentId,
            subject: d.subject,
            secret: d.secrecy !== 'none',
            actorId: by,
            assignmentId: a.id,
            assignerId: a.assigner_id,
            note: nfc(step.kind === 'finish' ? step.result : step.reason),
          });
        await recordAudit(trx, actor, {
          action: `documents.assignment.${step.kind}`,
          entityType: 'document_assignment',
          entityId: a.id,
          summary: {
            documentId,
            before: a.status,
            ...(step.kind === 'finish' && { result: step.result }),
            ...(step.kind === 'return' && { reason: step.reason }),
          },
        });
      });
      return (await repo.assignmentsOf(documentId)).map(presentAssignment);
    },

    // --- For other modules (workfiles): read-only, under the reader's visibility.

    /** Summaries of those of `ids` the reader may see, in the order given; the others are left out. */
    async visibleSummaries(auth: AuthContext, ids: string[]) {
      if (ids.length === 0) return [];
      const v = await visibility(auth);
      const out: ReturnType<typeof presentSummary>[] = [];
      for (const id of ids) {
        const d = await repo.findDocument(id);
        if (!d) continue;
        const assigned =
          d.secrecy !== 'none' && (await repo.isAssignedTo(id, v.officialId, v.departmentIds)) !== undefined;
        if (documentsPolicy.canRead(v, d, assigned)) out.push(presentSummary(d));
      }
      return out;
    },
  };
  return { ...service, ...handling.api };
}

function presentAssignment(
  a: Awaited<ReturnType<ReturnType<typeof documentsRepo>['assignmentsOf']>>[number],
) {
  return {
    id: a.id,
    parentId: a.parent_id,
    role: a.role,
    assignerId: a.assigner_id,
    assignerName: a.assigner_name,
    assigneeOfficialId: a.assignee_official_id,
    assigneeOfficialName: a.official_name,
    assigneeDepartmentId: a.assignee_department_id,
    assigneeDepartmentName: a.department_name,
    instruction: a.instruction,
    deadline: a.deadline,
    status: a.status,
    result: a.result,
    createdAt: a.created_at.toISOString(),
  };
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
