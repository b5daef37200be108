/**
 * Handling of documents (NĐ 30): opinions on assignments, forwarding an assignment, versions of a
 * draft's main file, approval chains with parallel groups and forwarding, the signature status,
 * and recall / replacement / update of issued documents.
 *
 * index.ts imports from this file, so it must not import index.ts (an import cycle would read
 * its constants before they exist); it declares the few primitives it needs.
 */
import { z } from 'zod';

const Id = z.uuid();
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Mã tệp (SHA-256) không hợp lệ');
const FileName = z.string().trim().min(1).max(255);
const Reason = z.string().trim().min(3, 'Cần nêu lý do (ít nhất 3 ký tự)').max(2000);

// --- Opinions (ý kiến xử lý)

export const OpinionFileRef = z.object({ sha256: Sha256, name: FileName });
export const RecordOpinion = z.object({
  content: z.string().trim().min(1).max(4000),
  files: z.array(OpinionFileRef).max(20).default([]),
});
export type RecordOpinion = z.input<typeof RecordOpinion>;
export const Opinion = z.object({
  id: Id,
  assignmentId: Id,
  authorId: Id,
  authorName: z.string(),
  content: z.string(),
  createdAt: z.string(),
  files: z.array(OpinionFileRef.extend({ position: z.number().int() })),
});
export type Opinion = z.infer<typeof Opinion>;

// --- Forwarding an assignment (chuyển xử lý)

/** The assignee hands the assignment to another official or department of the same agency. */
export const ForwardAssignment = z
  .object({
    officialId: Id.optional(),
    departmentId: Id.optional(),
    note: Reason,
  })
  .refine((a) => (a.officialId === undefined) !== (a.departmentId === undefined), {
    message: 'Chọn đúng một cán bộ hoặc một phòng ban',
  });
export type ForwardAssignment = z.infer<typeof ForwardAssignment>;
export const AssignmentForward = z.object({
  id: Id,
  assignmentId: Id,
  fromOfficialId: Id.nullable(),
  fromOfficialName: z.string().nullable(),
  fromDepartmentId: Id.nullable(),
  fromDepartmentName: z.string().nullable(),
  toOfficialId: Id.nullable(),
  toOfficialName: z.string().nullable(),
  toDepartmentId: Id.nullable(),
  toDepartmentName: z.string().nullable(),
  note: z.string(),
  forwardedById: Id,
  forwardedByName: z.string(),
  forwardedAt: z.string(),
});
export type AssignmentForward = z.infer<typeof AssignmentForward>;

// --- Versions of a draft's main file (dự thảo)

/** Types a draft version may have (checked on the stored file's sniffed type). */
export const DRAFT_FILE_MIMES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
export const AddDraftVersion = z.object({
  /** A file uploaded first with POST /api/files (DOCX or PDF). */
  sha256: Sha256,
  name: FileName,
  note: z.string().trim().max(1000).optional(),
});
export type AddDraftVersion = z.infer<typeof AddDraftVersion>;
export const DraftVersion = z.object({
  version: z.number().int(),
  sha256: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  note: z.string().nullable(),
  uploadedById: Id.nullable(),
  uploadedByName: z.string().nullable(),
  uploadedAt: z.string(),
  /** The latest version: the draft's main file. */
  current: z.boolean(),
});
export type DraftVersion = z.infer<typeof DraftVersion>;

// --- Approval chain (trình duyệt, trình ký)

/** One reviewer, or a group reviewing in parallel (all must approve; any return sends it back). */
export const ApprovalStepInput = z.union([
  z.strictObject({ reviewerId: Id }),
  z.strictObject({
    parallel: z
      .array(Id)
      .min(2)
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, {
        message: 'Một người chỉ có mặt một lần trong nhóm',
      }),
  }),
]);
export type ApprovalStepInput = z.infer<typeof ApprovalStepInput>;
/** Steps in order; the last one is the signer, a single official. */
export const ApprovalChain = z
  .array(ApprovalStepInput)
  .min(1)
  .max(10)
  .refine((steps) => steps.length === 0 || 'reviewerId' in steps[steps.length - 1]!, {
    message: 'Bước cuối là người ký: chỉ một người',
  });
/** Submitting (again) a draft: `steps`, or `reviewerIds` as a plain sequence (older clients). */
export const SubmitDraft = z
  .object({
    reviewerIds: z.array(Id).min(1).max(10).optional(),
    steps: ApprovalChain.optional(),
  })
  .refine((s) => (s.reviewerIds === undefined) !== (s.steps === undefined), {
    message: 'Nhập danh sách người duyệt (steps) hoặc reviewerIds, không cả hai',
  });
export type SubmitDraft = z.infer<typeof SubmitDraft>;

/** A reviewer whose turn it is hands it to another official: a step inserted after theirs. */
export const ForwardReview = z.object({ toOfficialId: Id, comment: Reason });
export type ForwardReview = z.infer<typeof ForwardReview>;

export const SIGNATURE_STATUSES = ['unsigned', 'signed'] as const;
export const SignatureStatus = z.enum(SIGNATURE_STATUSES);
export type SignatureStatus = z.infer<typeof SignatureStatus>;

export const ApprovalEntry = z.object({
  id: Id,
  round: z.number().int(),
  step: z.number().int(),
  reviewerId: Id,
  reviewerName: z.string(),
  /** More than one reviewer holds this step in this round. */
  parallel: z.boolean(),
  decision: z.enum(['approved', 'returned', 'forwarded']).nullable(),
  comment: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Set when the step was inserted by a reviewer's forward. */
  addedById: Id.nullable(),
  /** The signer's personal signature when approving (final step only). */
  signature: SignatureStatus.nullable(),
});
export type ApprovalEntry = z.infer<typeof ApprovalEntry>;

/** Signature state of an outgoing document: the signer's (at approval) and the agency's (at issuance). */
export const DocumentSignature = z.object({
  personal: SignatureStatus.nullable(),
  agency: SignatureStatus.nullable(),
});

// --- Recall, replacement, update of an issued document (thu hồi, thay thế, cập nhật)

export const VALIDITIES = ['valid', 'recalled', 'replaced'] as const;
export const DocumentRef = z.object({
  id: Id,
  number: z.string().nullable(),
  notation: z.string().nullable(),
  subject: z.string(),
});
export const DocumentValidity = z.object({
  state: z.enum(VALIDITIES),
  reason: z.string().nullable(),
  changedAt: z.string().nullable(),
  /** The replacing document (for a delivered copy: the copy of the replacement held here, if any). */
  replacedBy: DocumentRef.nullable(),
  /** Documents this one replaces. */
  replaces: z.array(DocumentRef),
});
export type DocumentValidity = z.infer<typeof DocumentValidity>;

export const RecallDocument = z.object({ reason: Reason });
/** Trả lại (từ chối tiếp nhận, NĐ 30 art. 21.2): an electronic incoming document goes back, with why. */
export const ReturnIncoming = z.object({ reason: Reason });
export const ReplaceDocument = z.object({ reason: Reason, replacementId: Id });
export const UpdateIssued = z
  .object({
    reason: Reason,
    subject: z.string().trim().min(3).max(2000).optional(),
    signerCompetence: z.string().trim().max(30).optional(),
    signerPosition: z.string().trim().max(100).optional(),
    signerName: z.string().trim().max(100).optional(),
    pageCount: z.number().int().min(1).max(100000).optional(),
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'reason'), {
    message: 'Cần ít nhất một thông tin được cập nhật',
  });
export type UpdateIssued = z.infer<typeof UpdateIssued>;
export const ValidityChangeResult = z.object({
  documentId: Id,
  validity: z.enum(VALIDITIES),
  /** Delivered copies inside this installation that received the change. */
  copies: z.array(z.object({ agencyId: Id, documentId: Id })),
});
export type ValidityChangeResult = z.infer<typeof ValidityChangeResult>;

/** Fields added to the document detail by the handling features. */
export const DocumentHandlingFields = z.object({
  opinions: z.array(Opinion),
  assignmentForwards: z.array(AssignmentForward),
  /** Versions of the main file (outgoing drafts); empty otherwise. */
  versions: z.array(DraftVersion),
  /** Every approval row of every round, by round then step. */
  approvals: z.array(ApprovalEntry),
  /** Whose turn it is now (a single reviewer, or the pending members of a parallel group). */
  pendingReviewerIds: z.array(Id),
  signature: DocumentSignature,
  validity: DocumentValidity,
});
