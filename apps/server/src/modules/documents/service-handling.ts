import {
  type AddDraftVersion,
  type ApprovalStepInput,
  DRAFT_FILE_MIMES,
  type ForwardAssignment,
  type ForwardReview,
  type RecordOpinion,
  type SigningInput,
  type SubmitDraft,
  type UpdateIssued,
} from '@congvu/contracts';
import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import type { OrgService } from '../org/service.ts';
import { publishDocumentEvent, publishDocumentValidity } from './events.ts';
import { documentsPolicy } from './policy.ts';
import { documentsRepo, type Visibility } from './repo.ts';
import type { DocumentFile, Signer } from './signer.ts';

/**
 * Handling of documents, composed into the documents service: opinions on assignments,
 * forwarding an assignment, versions of a draft's main file, approval chains (sequential steps,
 * parallel groups, forwarding by a reviewer), the signature hook, and recall / replacement /
 * update of issued documents with their propagation to the copies delivered in this installation.
 */

type Repo = ReturnType<typeof documentsRepo>;
type DocumentRow = NonNullable<Awaited<ReturnType<Repo['findDocument']>>>;
type ApprovalRow = Awaited<ReturnType<Repo['approvalsOf']>>[number];
type Actor = AuditActor & { auth: AuthContext };

/** The fields an update (cập nhật) may correct: API name → [column, value]. */
function updateFields(x: {
  subject?: string | undefined;
  signerCompetence?: string | null | undefined;
  signerPosition?: string | null | undefined;
  signerName?: string | null | undefined;
  pageCount?: number | null | undefined;
}) {
  return {
    subject: ['subject', x.subject],
    signerCompetence: ['signer_competence', x.signerCompetence],
    signerPosition: ['signer_position', x.signerPosition],
    signerName: ['signer_name', x.signerName],
    pageCount: ['page_count', x.pageCount],
  } as const;
}

export interface HandlingDeps {
  db: Db;
  org: OrgService;
  signer: Signer;
  /** The document if the reader may see it, else DOCUMENT_NOT_FOUND (from the documents service). */
  readable(auth: AuthContext, id: string): Promise<{ v: Visibility; d: DocumentRow }>;
}

/** Whose turn it is: the first step of the latest round that still has undecided rows. */
export function currentStep(approvals: ApprovalRow[]) {
  if (approvals.length === 0) return null;
  const round = Math.max(...approvals.map((p) => p.round));
  const open = approvals.filter((p) => p.round === round && p.decision === null);
  if (open.length === 0) return null;
  const step = Math.min(...open.map((p) => p.step));
  const isLast = !approvals.some((p) => p.round === round && p.step > step);
  return { round, step, isLast, pending: open.filter((p) => p.step === step) };
}

const stepIds = (s: ApprovalStepInput) => ('reviewerId' in s ? [s.reviewerId] : s.parallel);

export function documentsHandling(deps: HandlingDeps) {
  const { db, org, signer, readable } = deps;
  const repo = documentsRepo(db);

  /** Steps of a submission: `steps` as given, or `reviewerIds` one after another. */
  function stepsOf(input: { reviewerIds?: string[] | undefined; steps?: ApprovalStepInput[] | undefined }) {
    return input.steps ?? (input.reviewerIds ?? []).map((reviewerId) => ({ reviewerId }));
  }

  /** Reviewers must be officials of the agency that issues the document. */
  async function checkChain(steps: ApprovalStepInput[], agencyId: string) {
    for (const id of new Set(steps.flatMap(stepIds))) {
      if (!(await org.agencyIdsOf(id)).includes(agencyId)) throw new AppError('ASSIGNEE_INVALID');
    }
  }

  function chainRows(documentId: string, round: number, steps: ApprovalStepInput[]) {
    return steps.flatMap((s, i) =>
      stepIds(s).map((reviewer) => ({
        id: uuidv7(),
        document_id: documentId,
        round,
        step: i + 1,
        reviewer_id: reviewer,
      })),
    );
  }

  async function mainFileOf(documentId: string) {
    const main = (await repo.filesOf(documentId)).find((f) => f.role === 'main');
    return main ? { sha256: main.sha256, name: main.name } : null;
  }

  /** What the signer's visible signature shows: name, and the position with its competence. */
  async function personalRequest(d: DocumentRow, officialId: string, file: DocumentFile) {
    const o = await org.getOfficial(officialId);
    return {
      documentId: d.id,
      officialId,
      file,
      stamp: { name: o.fullName, position: d.signer_position, competence: d.signer_competence },
    };
  }

  /** A signed file becomes the next version of the main file (in the caller's transaction). */
  async function addSignedVersion(r: Repo, documentId: string, file: DocumentFile, by: string, note: string) {
    const n = ((await r.versionsOf(documentId)).at(-1)?.version ?? 0) + 1;
    await r.insertVersion({
      document_id: documentId,
      version: n,
      sha256: file.sha256,
      name: file.name,
      note,
      uploaded_by: by,
    });
    await r.setMainFile(documentId, file.sha256, file.name, by);
  }

  /** An issued outgoing document the reader may recall, replace or update. */
  async function changeableIssued(auth: AuthContext, id: string) {
    const { v, d } = await readable(auth, id);
    if (!documentsPolicy.canManageIssued(v, d)) throw new AppError('FORBIDDEN');
    if (d.direction !== 'outgoing' || d.status !== 'issued' || d.validity !== 'valid')
      throw new AppError('DOCUMENT_STATE');
    return { v, d };
  }

  const internals = {
    stepsOf,
    checkChain,
    chainRows,

    /** Version 1 of a new draft: its main file, if it was given at creation. */
    async firstVersion(trx: Db, documentId: string, file: { sha256: string; name: string }, by: string) {
      await documentsRepo(trx).insertVersion({
        document_id: documentId,
        version: 1,
        sha256: file.sha256,
        name: file.name,
        note: null,
        uploaded_by: by,
      });
    },

    addSignedVersion,

    /** What the agency signature at issuance covers: the main file and the PDF appendices. */
    async agencyRequest(d: DocumentRow, clerkId: string, agencyName: string, notation: string) {
      const files = await repo.filesOf(d.id);
      const main = files.find((f) => f.role === 'main');
      if (!main) return null;
      const appendices = files
        .filter((f) => f.role === 'appendix' && f.mime === 'application/pdf')
        .map((f) => ({ sha256: f.sha256, name: f.name, position: f.position }));
      return {
        documentId: d.id,
        agencyId: d.agency_id,
        agencyName,
        clerkId,
        file: { sha256: main.sha256, name: main.name },
        appendices,
        notation,
      };
    },

    /** The handling part of the document detail. */
    async detail(d: DocumentRow) {
      const [opinions, opinionFiles, forwards, versions, approvals, replacedBy, replaces] = await Promise.all(
        [
          repo.opinionsOf(d.id),
          repo.opinionFilesOf(d.id),
          repo.forwardsOf(d.id),
          repo.versionsOf(d.id),
          repo.approvalsOf(d.id),
          d.replaced_by_id ? repo.documentRef(d.replaced_by_id) : Promise.resolve(undefined),
          repo.replacedBy(d.id),
        ],
      );
      const current = d.status === 'in_review' ? currentStep(approvals) : null;
      const signed = approvals.filter((p) => p.signature !== null).at(-1);
      return {
        opinions: opinions.map((o) =>
          presentOpinion(
            o,
            opinionFiles.filter((f) => f.opinion_id === o.id),
          ),
        ),
        assignmentForwards: forwards.map(presentForward),
        versions: versions.map((x, i) => presentVersion(x, i === versions.length - 1)),
        approvals: approvals.map((p) => ({
          id: p.id,
          round: p.round,
          step: p.step,
          reviewerId: p.reviewer_id,
          reviewerName: p.reviewer_name,
          parallel: approvals.filter((q) => q.round === p.round && q.step === p.step).length > 1,
          decision: p.decision,
          comment: p.comment,
          decidedAt: p.decided_at?.toISOString() ?? null,
          addedById: p.added_by,
          signature: p.signature,
        })),
        pendingReviewerIds: current ? current.pending.map((p) => p.reviewer_id) : [],
        signature: { personal: signed?.signature ?? null, agency: d.agency_signature },
        validity: {
          state: d.validity,
          reason: d.validity_reason,
          changedAt: d.validity_changed_at?.toISOString() ?? null,
          replacedBy: replacedBy ?? null,
          replaces,
        },
      };
    },
  };

  const api = {
    /** Ý kiến xử lý on an assignment, with files uploaded first through /api/files. */
    async recordOpinion(
      actor: Actor,
      documentId: string,
      assignmentId: string,
      input: RecordOpinion,
      idempotencyKey: string | null,
    ) {
      const replay = async () => {
        const prior = idempotencyKey ? await repo.opinionByIdempotencyKey(idempotencyKey) : undefined;
        if (!prior) return null;
        if (prior.document_id !== documentId)
          throw new AppError('VALIDATION_ERROR', { 'idempotency-key': 'Khóa đã dùng cho văn bản khác' });
        return loadOpinion(documentId, prior.id);
      };
      const { v, d } = await readable(actor.auth, documentId);
      const prior = await replay();
      if (prior) return prior;
      const a = await repo.findAssignment(assignmentId);
      if (!a || a.document_id !== documentId) throw new AppError('ASSIGNMENT_NOT_FOUND');
      const by = v.officialId;
      if (!by || !documentsPolicy.canGiveOpinion(v, d, a)) throw new AppError('FORBIDDEN');
      const files = input.files ?? [];
      const shas = [...new Set(files.map((f) => f.sha256))];
      if (
        shas.length &&
        Number((await repo.countOwnBlobs(shas, actor.auth.officialId ?? '')).n) !== shas.length
      )
        throw new AppError('FILE_NOT_FOUND');
      const id = uuidv7();
      const content = nfc(input.content);
      try {
        await db.transaction().execute(async (trx) => {
          const r = documentsRepo(trx);
          await r.insertOpinion({
            id,
            document_id: documentId,
            assignment_id: a.id,
            author_id: by,
            content,
            idempotency_key: idempotencyKey,
          });
          await r.insertOpinionFiles(
            files.map((f, i) => ({ opinion_id: id, position: i + 1, sha256: f.sha256, name: nfc(f.name) })),
          );
          await r.insertEvent({
            document_id: documentId,
            kind: 'opinion',
            actor_id: by,
            data: { assignmentId: a.id, opinionId: id, content, files: files.length },
          });
          await recordAudit(trx, actor, {
            action: 'documents.opinion.recorded',
            entityType: 'document_assignment',
            entityId: a.id,
            summary: { documentId, opinionId: id, files: files.map((f) => f.sha256) },
          });
        });
      } catch (e) {
        // The same key sent twice at once: the second answers with the first.
        if (idempotencyKey && (e as { code?: string }).code === '23505') {
          const first = await replay();
          if (first) return first;
        }
        throw e;
      }
      return loadOpinion(documentId, id);
    },

    /**
     * Chuyển xử lý: the assignee hands the assignment to another official or department of the
     * agency. The assignment is re-pointed (its level, role, deadline and sub-assignments stay,
     * so there is still one lead per level) and starts again as pending for the new holder.
     */
    async forwardAssignment(
      actor: Actor,
      documentId: string,
      assignmentId: string,
      input: ForwardAssignment,
    ) {
      const { v, d } = await readable(actor.auth, documentId);
      const a = await repo.findAssignment(assignmentId);
      if (!a || a.document_id !== documentId) throw new AppError('ASSIGNMENT_NOT_FOUND');
      const by = v.officialId;
      if (!by || !documentsPolicy.isAssignee(v, a)) throw new AppError('FORBIDDEN');
      if (a.status === 'done' || a.status === 'returned') throw new AppError('ASSIGNMENT_STATE');
      if (input.departmentId) {
        const dep = await org.getDepartment(input.departmentId);
        if (dep.agencyId !== d.agency_id) throw new AppError('ASSIGNEE_INVALID');
      }
      if (input.officialId && !(await org.agencyIdsOf(input.officialId)).includes(d.agency_id))
        throw new AppError('ASSIGNEE_INVALID');
      const from = { officialId: a.assignee_official_id, departmentId: a.assignee_department_id };
      const to = { officialId: input.officialId ?? null, departmentId: input.departmentId ?? null };
      if (from.officialId === to.officialId && from.departmentId === to.departmentId)
        throw new AppError('VALIDATION_ERROR', { to: 'Phân công đang giao cho chính cán bộ, phòng ban này' });
      const id = uuidv7();
      const note = nfc(input.note);
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if (Number((await r.repointAssignment(a.id, from, to)).numUpdatedRows) !== 1)
          throw new AppError('ASSIGNMENT_STATE');
        await r.insertForward({
          id,
          assignment_id: a.id,
          from_official_id: from.officialId,
          from_department_id: from.departmentId,
          to_official_id: to.officialId,
          to_department_id: to.departmentId,
          note,
          forwarded_by: by,
        });
        await r.insertEvent({
          document_id: documentId,
          kind: 'assignment_forwarded',
          actor_id: by,
          data: { assignmentId: a.id, from, to, note },
        });
        await recordAudit(trx, actor, {
          action: 'documents.assignment.forwarded',
          entityType: 'document_assignment',
          entityId: a.id,
          summary: { documentId, before: { ...from, status: a.status }, after: to, note },
        });
      });
      const [row] = await repo.forwardsOf(documentId, id);
      return presentForward(row!);
    },

    async listVersions(auth: AuthContext, documentId: string) {
      await readable(auth, documentId);
      const rows = await repo.versionsOf(documentId);
      return rows.map((x, i) => presentVersion(x, i === rows.length - 1));
    },

    /**
     * A new version of a draft's main file (DOCX or PDF), by the drafter or by a reviewer whose
     * turn it is, while the draft is not yet approved. Sending the current file again is a no-op.
     */
    async addVersion(actor: Actor, documentId: string, input: AddDraftVersion) {
      const { v, d } = await readable(actor.auth, documentId);
      if (d.direction !== 'outgoing' || (d.status !== 'draft' && d.status !== 'in_review'))
        throw new AppError('DOCUMENT_STATE');
      const by = v.officialId;
      if (!by) throw new AppError('FORBIDDEN');
      // Whose turn first (checked again under the lock below), then the file, which must be one's own upload.
      const turnNow = d.status === 'in_review' ? currentStep(await repo.approvalsOf(documentId)) : null;
      if (d.created_by !== by && !turnNow?.pending.some((p) => p.reviewer_id === by))
        throw new AppError('FORBIDDEN');
      const blob = await repo.findOwnBlob(input.sha256, actor.auth.officialId ?? '');
      if (!blob) throw new AppError('FILE_NOT_FOUND');
      if (!(DRAFT_FILE_MIMES as readonly string[]).includes(blob.mime)) throw new AppError('DRAFT_FILE_TYPE');
      const name = nfc(input.name);
      const note = input.note ? nfc(input.note) : null;
      const version = await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        const locked = await r.lockDocument(documentId);
        if (locked.status !== 'draft' && locked.status !== 'in_review') throw new AppError('DOCUMENT_STATE');
        const turn = locked.status === 'in_review' ? currentStep(await r.approvalsOf(documentId)) : null;
        if (d.created_by !== by && !turn?.pending.some((p) => p.reviewer_id === by))
          throw new AppError('FORBIDDEN');
        const last = (await r.versionsOf(documentId)).at(-1);
        if (last?.sha256 === input.sha256) return last.version;
        const n = (last?.version ?? 0) + 1;
        await r.insertVersion({
          document_id: documentId,
          version: n,
          sha256: input.sha256,
          name,
          note,
          uploaded_by: by,
        });
        await r.setMainFile(documentId, input.sha256, name, by);
        await r.insertEvent({
          document_id: documentId,
          kind: 'version_added',
          actor_id: by,
          data: { version: n, name, note },
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.version_added',
          entityType: 'document',
          entityId: documentId,
          summary: { version: n, sha256: input.sha256, name },
        });
        return n;
      });
      const rows = await repo.versionsOf(documentId);
      const i = rows.findIndex((x) => x.version === version);
      return presentVersion(rows[i]!, i === rows.length - 1);
    },

    /**
     * Client-side signing of the final approval: the signer's token signs the challenge, then
     * `review` completes it with the session's answer.
     */
    async startPersonalSigning(actor: Actor, id: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'in_review') throw new AppError('DOCUMENT_STATE');
      const me = v.officialId;
      const cur = currentStep(await repo.approvalsOf(id));
      if (!me || !cur?.pending.some((p) => p.reviewer_id === me)) throw new AppError('FORBIDDEN');
      if (!cur.isLast || cur.pending.length !== 1) throw new AppError('DOCUMENT_STATE');
      const main = await mainFileOf(id);
      if (!main) throw new AppError('SIGNING_FILE_NOT_PDF');
      return signer.startPersonal(await personalRequest(d, me, main));
    },

    /** Trình duyệt lại a returned draft: a new round with its steps (groups allowed). */
    async submit(actor: Actor, id: string, input: SubmitDraft) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'draft') throw new AppError('DOCUMENT_STATE');
      if (d.created_by !== v.officialId) throw new AppError('FORBIDDEN');
      const steps = stepsOf(input);
      await checkChain(steps, d.agency_id);
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        await r.lockDocument(id);
        if (Number((await r.transition(id, 'draft', 'in_review')).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        const round = Math.max(0, ...(await r.approvalsOf(id)).map((p) => p.round)) + 1;
        await r.insertApprovals(chainRows(id, round, steps));
        await r.insertEvent({
          document_id: id,
          kind: 'submitted',
          actor_id: v.officialId,
          data: { round, steps },
        });
        const first = steps[0]!;
        for (const reviewerId of stepIds(first))
          await publishDocumentEvent(trx, {
            kind: 'submitted',
            documentId: id,
            subject: d.subject,
            secret: d.secrecy !== 'none',
            actorId: v.officialId,
            round,
            step: 1,
            reviewerId,
          });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.submitted',
          entityType: 'document',
          entityId: id,
          summary: { round, steps },
        });
      });
    },

    /**
     * A reviewer whose turn it is approves or returns. A parallel group moves on when all its
     * members approved; any return sends the draft back to the drafter. The approval of the last
     * step is the signer's: the signature hook is called and its answer recorded ("unsigned"
     * until the signature module is in).
     */
    async review(
      actor: Actor,
      id: string,
      decision: 'approved' | 'returned',
      comment: string | undefined,
      signing?: SigningInput,
    ) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'in_review') throw new AppError('DOCUMENT_STATE');
      const me = v.officialId;
      const before = currentStep(await repo.approvalsOf(id));
      if (!me || !before?.pending.some((p) => p.reviewer_id === me)) throw new AppError('FORBIDDEN');
      const isFinal = (s: NonNullable<typeof before>) =>
        decision === 'approved' && s.isLast && s.pending.length === 1;
      // The final approval of an electronic draft (a main file) is the signer's digital signature;
      // a draft without a file is a paper document, signed by hand.
      let signature: { status: 'signed' | 'unsigned'; file: DocumentFile | null } | null = null;
      const main = await mainFileOf(id);
      if (isFinal(before)) {
        if (main && !signing) throw new AppError('SIGNING_REQUIRED');
        signature = main
          ? {
              status: 'signed',
              file: await signer.signPersonal(await personalRequest(d, me, main), signing!),
            }
          : { status: 'unsigned', file: null };
      }
      const text = comment ? nfc(comment) : null;
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if ((await r.lockDocument(id)).status !== 'in_review') throw new AppError('DOCUMENT_STATE');
        const cur = currentStep(await r.approvalsOf(id));
        const mine = cur?.pending.find((p) => p.reviewer_id === me);
        // The chain changed since the checks above (a forward, another decision): ask again.
        if (!cur || !mine || cur.step !== before.step || isFinal(cur) !== (signature !== null))
          throw new AppError('DOCUMENT_STATE');
        if (Number((await r.decideApproval(mine.id, decision, text)).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        const stepDone = cur.pending.length === 1;
        if (decision === 'returned') {
          await r.transition(id, 'in_review', 'draft');
          await r.insertEvent({
            document_id: id,
            kind: 'review_returned',
            actor_id: me,
            data: { round: cur.round, step: cur.step, comment: text },
          });
        } else if (signature) {
          if (signature.file) {
            // The signed PDF becomes the next version and the main file.
            // A new version uploaded while signing: the signature is not over the current draft.
            if ((await r.filesOf(id)).find((f) => f.role === 'main')?.sha256 !== main?.sha256)
              throw new AppError('DOCUMENT_STATE');
            await addSignedVersion(r, id, signature.file, me, 'Bản đã ký số của người có thẩm quyền');
          }
          await r.setApprovalSignature(mine.id, signature.status);
          await r.transition(id, 'in_review', 'approved');
          await r.insertEvent({
            document_id: id,
            kind: 'approved',
            actor_id: me,
            data: {
              round: cur.round,
              signature: signature.status,
              signed: signature.status === 'signed',
              note: signature.status === 'signed' ? 'Đã duyệt, đã ký số' : 'Đã duyệt, chưa ký số',
            },
          });
        } else {
          await r.insertEvent({
            document_id: id,
            kind: 'review_approved',
            actor_id: me,
            data: { round: cur.round, step: cur.step, stepDone, comment: text },
          });
        }
        // Tell whoever acts next: the drafter (returned, approved), or the next step's reviewers.
        const about = { documentId: id, subject: d.subject, secret: d.secrecy !== 'none', actorId: me };
        if (decision === 'returned' || signature)
          await publishDocumentEvent(trx, {
            ...about,
            kind: decision === 'returned' ? 'review_returned' : 'approved',
            approvalId: mine.id,
            drafterId: d.created_by,
            comment: text,
          });
        else if (stepDone) {
          const next = currentStep(await r.approvalsOf(id));
          for (const p of next?.pending ?? [])
            await publishDocumentEvent(trx, {
              ...about,
              kind: 'forwarded',
              round: next!.round,
              step: next!.step,
              reviewerId: p.reviewer_id,
            });
        }
        await recordAudit(trx, actor, {
          action: `documents.outgoing.${decision}`,
          entityType: 'document',
          entityId: id,
          summary: { round: cur.round, step: cur.step, last: cur.isLast, stepDone },
        });
      });
    },

    /**
     * A reviewer whose turn it is hands the review to another official of the agency: a step
     * with that official is inserted right after theirs (after the whole step, for a member of a
     * parallel group). Forwarded by the signer, the new step is the last: that official signs.
     */
    async forwardReview(actor: Actor, id: string, input: ForwardReview) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'outgoing' || d.status !== 'in_review') throw new AppError('DOCUMENT_STATE');
      const me = v.officialId;
      if (!me) throw new AppError('FORBIDDEN');
      if (input.toOfficialId === me)
        throw new AppError('VALIDATION_ERROR', { toOfficialId: 'Không thể chuyển cho chính mình' });
      if (!(await org.agencyIdsOf(input.toOfficialId)).includes(d.agency_id))
        throw new AppError('ASSIGNEE_INVALID');
      const comment = nfc(input.comment);
      await db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if ((await r.lockDocument(id)).status !== 'in_review') throw new AppError('DOCUMENT_STATE');
        const cur = currentStep(await r.approvalsOf(id));
        const mine = cur?.pending.find((p) => p.reviewer_id === me);
        if (!cur || !mine) throw new AppError('FORBIDDEN');
        if (cur.pending.some((p) => p.reviewer_id === input.toOfficialId))
          throw new AppError('VALIDATION_ERROR', { toOfficialId: 'Cán bộ này đang duyệt ở bước hiện tại' });
        await r.decideApproval(mine.id, 'forwarded', comment);
        await r.shiftStepsAfter(id, cur.round, cur.step);
        await r.insertApprovals([
          {
            id: uuidv7(),
            document_id: id,
            round: cur.round,
            step: cur.step + 1,
            reviewer_id: input.toOfficialId,
            added_by: me,
          },
        ]);
        await r.insertEvent({
          document_id: id,
          kind: 'review_forwarded',
          actor_id: me,
          data: { round: cur.round, step: cur.step, to: input.toOfficialId, comment },
        });
        await publishDocumentEvent(trx, {
          kind: 'forwarded',
          documentId: id,
          subject: d.subject,
          secret: d.secrecy !== 'none',
          actorId: me,
          round: cur.round,
          step: cur.step + 1,
          reviewerId: input.toOfficialId,
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.review_forwarded',
          entityType: 'document',
          entityId: id,
          summary: { round: cur.round, step: cur.step, to: input.toOfficialId },
        });
      });
    },

    /**
     * The issuer of an incoming electronic document (another installation) asks for it back: the
     * copy records the request; its agency's clerk answers (`answerRecall`). In the caller's
     * transaction (the exchange's).
     */
    async recallRequested(trx: Db, id: string, input: { reason: string; from: string }) {
      await documentsRepo(trx).insertEvent({
        document_id: id,
        kind: 'recall_requested',
        actor_id: null,
        data: { reason: input.reason, from: input.from, note: 'Cơ quan ban hành đề nghị thu hồi văn bản' },
      });
    },

    /**
     * The issuer (another installation) replaced a document (NĐ 30 art. 18.3): our copy is marked
     * replaced, pointing to our copy of the replacement. In the caller's transaction.
     */
    async replacedByIssuer(
      trx: Db,
      id: string,
      input: { reason: string; replacementCopyId: string; label: string },
    ) {
      const r = documentsRepo(trx);
      await r.lockDocument(id);
      if (
        Number(
          (await r.setValidity(id, 'replaced', input.reason, input.replacementCopyId)).numUpdatedRows,
        ) !== 1
      )
        throw new AppError('DOCUMENT_STATE');
      await r.insertEvent({
        document_id: id,
        kind: 'replaced',
        actor_id: null,
        data: {
          reason: input.reason,
          replacedBy: { documentId: input.replacementCopyId },
          note: input.label,
        },
      });
    },

    /**
     * The clerk's answer to a recall request (NĐ 30 art. 18.4.b): accepted, the copy is withdrawn
     * (validity "recalled", with a visible trace); refused, the refusal is recorded. The caller
     * (the exchange) sends 15 or 16 in the same transaction.
     */
    async answerRecall(trx: Db, actor: Actor, id: string, accept: boolean, reason: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'incoming') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      const r = documentsRepo(trx);
      await r.lockDocument(id);
      const why = nfc(reason);
      if (accept && Number((await r.setValidity(id, 'recalled', why, null)).numUpdatedRows) !== 1)
        throw new AppError('DOCUMENT_STATE');
      await r.insertEvent({
        document_id: id,
        kind: accept ? 'recalled' : 'recall_refused',
        actor_id: v.officialId,
        data: {
          reason: why,
          note: accept ? 'Đã đồng ý thu hồi theo đề nghị của cơ quan ban hành' : 'Từ chối thu hồi',
        },
      });
      await recordAudit(trx, actor, {
        action: accept ? 'documents.incoming.recall_accepted' : 'documents.incoming.recall_refused',
        entityType: 'document',
        entityId: id,
        summary: { reason: why },
      });
      return { agencyId: d.agency_id };
    },

    /**
     * Thu hồi (NĐ 30 art. 18.4.b): the issuing agency's clerk or leader recalls an issued
     * document; every copy delivered inside the installation is marked recalled too. The
     * `recalled` events are what the exchange will send (BussinessDocType 1).
     */
    async recall(actor: Actor, id: string, reason: string) {
      const { v } = await changeableIssued(actor.auth, id);
      const why = nfc(reason);
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        await r.lockDocument(id);
        if (Number((await r.setValidity(id, 'recalled', why, null)).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        const copies: { agencyId: string; documentId: string }[] = [];
        for (const c of await r.copiesOf(id)) {
          if (Number((await r.setValidity(c.id, 'recalled', why, null)).numUpdatedRows) !== 1) continue;
          await r.insertEvent({
            document_id: c.id,
            kind: 'recalled',
            actor_id: v.officialId,
            data: { reason: why, sourceDocumentId: id, note: 'Văn bản đã bị thu hồi' },
          });
          copies.push({ agencyId: c.agency_id, documentId: c.id });
        }
        await r.insertEvent({
          document_id: id,
          kind: 'recalled',
          actor_id: v.officialId,
          data: { reason: why, copies, note: 'Đã thu hồi văn bản' },
        });
        await publishDocumentValidity(trx, {
          documentId: id,
          kind: 'recalled',
          reason: why,
          actorId: v.officialId,
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.recalled',
          entityType: 'document',
          entityId: id,
          summary: { reason: why, copies },
        });
        return { documentId: id, validity: 'recalled' as const, copies };
      });
    },

    /**
     * Thay thế (NĐ 30 art. 18.3): another issued document of the same agency replaces this one.
     * Each delivered copy points to the copy of the replacement its agency received, if any.
     */
    async replace(actor: Actor, id: string, reason: string, replacementId: string) {
      const { v, d } = await changeableIssued(actor.auth, id);
      const rep = replacementId === id ? undefined : await repo.findDocument(replacementId);
      if (
        !rep ||
        rep.agency_id !== d.agency_id ||
        rep.direction !== 'outgoing' ||
        rep.status !== 'issued' ||
        rep.validity !== 'valid'
      )
        throw new AppError('REPLACEMENT_INVALID');
      const why = nfc(reason);
      const by = { number: rep.number, notation: rep.notation };
      const label = `Được thay thế bởi văn bản số ${rep.number}/${rep.notation}`;
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        await r.lockDocument(id);
        if (Number((await r.setValidity(id, 'replaced', why, rep.id)).numUpdatedRows) !== 1)
          throw new AppError('DOCUMENT_STATE');
        const copies: { agencyId: string; documentId: string }[] = [];
        for (const c of await r.copiesOf(id)) {
          const repCopy = (await r.copyOfIn(rep.id, c.agency_id))?.id ?? null;
          if (Number((await r.setValidity(c.id, 'replaced', why, repCopy)).numUpdatedRows) !== 1) continue;
          await r.insertEvent({
            document_id: c.id,
            kind: 'replaced',
            actor_id: v.officialId,
            data: {
              reason: why,
              sourceDocumentId: id,
              replacedBy: { documentId: repCopy, ...by },
              note: label,
            },
          });
          copies.push({ agencyId: c.agency_id, documentId: c.id });
        }
        await r.insertEvent({
          document_id: id,
          kind: 'replaced',
          actor_id: v.officialId,
          data: { reason: why, replacedBy: { documentId: rep.id, ...by }, copies, note: label },
        });
        await r.insertEvent({
          document_id: rep.id,
          kind: 'replaces',
          actor_id: v.officialId,
          data: {
            reason: why,
            documentId: id,
            number: d.number,
            notation: d.notation,
            note: `Thay thế văn bản số ${d.number}/${d.notation}`,
          },
        });
        await publishDocumentValidity(trx, {
          documentId: id,
          kind: 'replaced',
          reason: why,
          actorId: v.officialId,
          replacementId: rep.id,
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.replaced',
          entityType: 'document',
          entityId: id,
          summary: { reason: why, replacementId: rep.id, copies },
        });
        return { documentId: id, validity: 'replaced' as const, copies };
      });
    },

    /**
     * Cập nhật (đính chính, NĐ 30 art. 18.3): the issuing agency corrects the information of an
     * issued document (subject, signer, page count). Content errors call for a replacement
     * instead. Recipients must agree to an update (QĐ 28: 15 accept / 16 refuse): each copy
     * delivered inside the installation records the request (`update_requested`) and changes only
     * when its clerk accepts (`answerUpdate`); the `updated` validity event (once per update) is
     * what the exchange sends to recipients outside (BussinessDocType 2).
     */
    async updateIssued(actor: Actor, id: string, input: UpdateIssued) {
      const { v, d } = await changeableIssued(actor.auth, id);
      const patch: Record<string, string | number | null> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, [column, raw]] of Object.entries(updateFields(input))) {
        if (raw === undefined) continue;
        const value = typeof raw === 'string' ? nfc(raw) : raw;
        if (d[column] === value) continue;
        patch[column] = value;
        changes[key] = { from: d[column], to: value };
      }
      if (Object.keys(changes).length === 0)
        throw new AppError('VALIDATION_ERROR', { changes: 'Không có thông tin nào thay đổi' });
      const why = nfc(input.reason);
      const updateId = uuidv7();
      const after = { ...d, ...patch } as DocumentRow;
      const fields = {
        subject: after.subject,
        signerCompetence: after.signer_competence,
        signerPosition: after.signer_position,
        signerName: after.signer_name,
        pageCount: after.page_count,
      };
      const from = (await org.getAgency(d.agency_id)).name;
      return db.transaction().execute(async (trx) => {
        const r = documentsRepo(trx);
        if ((await r.lockDocument(id)).validity !== 'valid') throw new AppError('DOCUMENT_STATE');
        await r.updateIssuedFields(id, patch);
        const copies: { agencyId: string; documentId: string }[] = [];
        for (const c of await r.copiesOf(id)) {
          await api.updateRequested(trx, c.id, {
            ref: updateId,
            reason: why,
            from,
            fields,
            actorId: v.officialId,
          });
          copies.push({ agencyId: c.agency_id, documentId: c.id });
        }
        await r.insertEvent({
          document_id: id,
          kind: 'updated',
          actor_id: v.officialId,
          data: { reason: why, changes, copies, updateId, note: 'Đã cập nhật văn bản' },
        });
        await publishDocumentValidity(trx, {
          documentId: id,
          kind: 'updated',
          reason: why,
          actorId: v.officialId,
          updateId,
          fields,
        });
        await recordAudit(trx, actor, {
          action: 'documents.outgoing.updated',
          entityType: 'document',
          entityId: id,
          summary: { reason: why, changes, copies, updateId },
        });
        return { documentId: id, validity: 'valid' as const, copies };
      });
    },

    /**
     * The issuer asks to correct our copy (another installation through the exchange, or an
     * agency of this one): the request and the changes it would make to the copy are recorded
     * (`update_requested`, keyed by `ref`); nothing changes until the clerk answers. In the
     * caller's transaction.
     */
    async updateRequested(
      trx: Db,
      id: string,
      input: {
        ref: string;
        reason: string;
        from: string;
        fields: {
          subject?: string;
          signerCompetence?: string | null;
          signerPosition?: string | null;
          signerName?: string | null;
          pageCount?: number | null;
        };
        actorId?: string | null;
      },
    ) {
      const r = documentsRepo(trx);
      await r.lockDocument(id);
      const copy = await r.findDocument(id);
      if (!copy) throw new AppError('DOCUMENT_NOT_FOUND');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, [column, value]] of Object.entries(updateFields(input.fields))) {
        if (value === undefined || copy[column] === value) continue;
        changes[key] = { from: copy[column], to: value };
      }
      await r.insertEvent({
        document_id: id,
        kind: 'update_requested',
        actor_id: input.actorId ?? null,
        data: {
          ref: input.ref,
          reason: input.reason,
          from: input.from,
          changes,
          note: 'Cơ quan ban hành đề nghị cập nhật thông tin văn bản',
        },
      });
    },

    /**
     * The clerk's answer to the oldest update request not answered yet: accepted, the copy takes
     * the corrected fields (event `updated`, with the changes); refused, the refusal is recorded
     * (`update_refused`). The caller (the exchange) reports 15 or 16 in the same transaction.
     */
    async answerUpdate(trx: Db, actor: Actor, id: string, accept: boolean, reason: string) {
      const { v, d } = await readable(actor.auth, id);
      if (d.direction !== 'incoming') throw new AppError('DOCUMENT_STATE');
      if (!v.clerkOf.includes(d.agency_id)) throw new AppError('FORBIDDEN');
      const r = documentsRepo(trx);
      await r.lockDocument(id);
      const events = await r.eventsOf(id);
      const refOf = (e: { data: unknown }) => (e.data as { ref?: string } | null)?.ref;
      const answered = new Set(
        events.filter((e) => e.kind === 'updated' || e.kind === 'update_refused').map(refOf),
      );
      const request = events.find((e) => e.kind === 'update_requested' && !answered.has(refOf(e)));
      if (!request) throw new AppError('EXCHANGE_NO_UPDATE_REQUEST');
      const asked = request.data as {
        ref: string;
        reason: string;
        changes: Record<string, { from: unknown; to: unknown }>;
      };
      const why = nfc(reason);
      if (accept) {
        const patch: Record<string, unknown> = {};
        for (const [key, [column]] of Object.entries(updateFields({}))) {
          if (key in asked.changes) patch[column] = asked.changes[key]!.to;
        }
        if (Object.keys(patch).length) await r.updateIssuedFields(id, patch);
      }
      await r.insertEvent({
        document_id: id,
        kind: accept ? 'updated' : 'update_refused',
        actor_id: v.officialId,
        data: {
          ref: asked.ref,
          reason: asked.reason,
          answer: why,
          changes: asked.changes,
          note: accept ? 'Đã cập nhật theo đề nghị của cơ quan ban hành' : 'Từ chối cập nhật',
        },
      });
      await recordAudit(trx, actor, {
        action: accept ? 'documents.incoming.update_accepted' : 'documents.incoming.update_refused',
        entityType: 'document',
        entityId: id,
        summary: { ref: asked.ref, reason: why, changes: asked.changes },
      });
      return { ref: asked.ref, agencyId: d.agency_id };
    },
  };

  async function loadOpinion(documentId: string, opinionId: string) {
    const [[row], files] = await Promise.all([
      repo.opinionsOf(documentId, opinionId),
      repo.opinionFilesOf(documentId),
    ]);
    return presentOpinion(
      row!,
      files.filter((f) => f.opinion_id === opinionId),
    );
  }

  return { internals, api };
}

function presentOpinion(
  o: Awaited<ReturnType<Repo['opinionsOf']>>[number],
  files: Awaited<ReturnType<Repo['opinionFilesOf']>>,
) {
  return {
    id: o.id,
    assignmentId: o.assignment_id,
    authorId: o.author_id,
    authorName: o.author_name,
    content: o.content,
    createdAt: o.created_at.toISOString(),
    files: files.map((f) => ({ sha256: f.sha256, name: f.name, position: f.position })),
  };
}

function presentForward(w: Awaited<ReturnType<Repo['forwardsOf']>>[number]) {
  return {
    id: w.id,
    assignmentId: w.assignment_id,
    fromOfficialId: w.from_official_id,
    fromOfficialName: w.from_official_name,
    fromDepartmentId: w.from_department_id,
    fromDepartmentName: w.from_department_name,
    toOfficialId: w.to_official_id,
    toOfficialName: w.to_official_name,
    toDepartmentId: w.to_department_id,
    toDepartmentName: w.to_department_name,
    note: w.note,
    forwardedById: w.forwarded_by,
    forwardedByName: w.forwarded_by_name,
    forwardedAt: w.forwarded_at.toISOString(),
  };
}

function presentVersion(x: Awaited<ReturnType<Repo['versionsOf']>>[number], current: boolean) {
  return {
    version: x.version,
    sha256: x.sha256,
    name: x.name,
    mime: x.mime,
    size: Number(x.size),
    note: x.note,
    uploadedById: x.uploaded_by,
    uploadedByName: x.uploaded_by_name,
    uploadedAt: x.uploaded_at.toISOString(),
    current,
  };
}
