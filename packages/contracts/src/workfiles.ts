/**
 * Work files (hồ sơ công việc) and the yearly file list (danh mục hồ sơ), NĐ 30/2020 art. 28–31.
 * Primitives are declared here rather than imported from index.ts, which re-exports this file.
 */
import { z } from 'zod';
import { DocumentSummary } from './index.ts';

const Id = z.uuid();
/** A real calendar day written YYYY-MM-DD. */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày có dạng YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'Ngày không có thật');

export const WORK_FILE_STATUSES = ['open', 'closed'] as const;
export const FILE_LIST_STATUSES = ['draft', 'approved'] as const;

/** Thời hạn bảo quản (TT 10/2022/TT-BNV), effective-dated data; `years` is null for permanent. */
export const RetentionClass = z.object({
  code: z.string(),
  label: z.string(),
  years: z.number().int().nullable(),
  depositRequired: z.boolean(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type RetentionClass = z.infer<typeof RetentionClass>;

/** Số và ký hiệu hồ sơ, e.g. `01.TH` or `05/VP-TH`. */
export const FileCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9Đđ][A-Za-z0-9Đđ./-]{0,39}$/, 'Số và ký hiệu hồ sơ gồm chữ, số, dấu chấm, gạch');
const RetentionCode = z.string().trim().min(1).max(40);

export const FileListItem = z.object({
  id: Id,
  listId: Id,
  section: z.string().nullable(),
  code: z.string(),
  title: z.string(),
  retentionCode: z.string(),
  retentionLabel: z.string(),
  departmentId: Id.nullable(),
  departmentName: z.string().nullable(),
  officialId: Id.nullable(),
  officialName: z.string().nullable(),
  note: z.string().nullable(),
  /** The work file opened from this item, if any. */
  fileId: Id.nullable(),
  fileStatus: z.enum(WORK_FILE_STATUSES).nullable(),
});
export type FileListItem = z.infer<typeof FileListItem>;

export const FileList = z.object({
  id: Id,
  agencyId: Id,
  agencyName: z.string(),
  year: z.number().int(),
  status: z.enum(FILE_LIST_STATUSES),
  approvedById: Id.nullable(),
  approvedByName: z.string().nullable(),
  approvedAt: z.string().nullable(),
  itemCount: z.number().int(),
});
export type FileList = z.infer<typeof FileList>;
export const FileListDetail = FileList.extend({ items: z.array(FileListItem) });
export type FileListDetail = z.infer<typeof FileListDetail>;

export const CreateFileList = z.object({
  agencyId: Id,
  year: z.number().int().min(2000).max(2100),
});
export const FileListQuery = z.object({
  agencyId: Id.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});

export const CreateFileListItem = z.object({
  /** Tên đề mục (the heading the item sits under in Phụ lục V). */
  section: z.string().trim().max(300).optional(),
  code: FileCode,
  title: z.string().trim().min(3).max(1000),
  retentionCode: RetentionCode,
  departmentId: Id.optional(),
  officialId: Id.optional(),
  note: z.string().trim().max(1000).optional(),
});
export type CreateFileListItem = z.infer<typeof CreateFileListItem>;
export const UpdateFileListItem = z
  .object({
    section: z.string().trim().max(300).nullable(),
    code: FileCode,
    title: z.string().trim().min(3).max(1000),
    retentionCode: RetentionCode,
    departmentId: Id.nullable(),
    officialId: Id.nullable(),
    note: z.string().trim().max(1000).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Cần ít nhất một trường để cập nhật');
export type UpdateFileListItem = z.infer<typeof UpdateFileListItem>;

/**
 * Lập hồ sơ: from an item of an approved list, or off the list with the five things NĐ 30
 * art. 28 requires (tiêu đề, số và ký hiệu, thời hạn bảo quản, người lập, thời gian bắt đầu).
 */
export const OpenWorkFile = z.union([
  z.strictObject({
    listItemId: Id,
    ownerId: Id.optional(),
    openedOn: Day.optional(),
  }),
  z.strictObject({
    agencyId: Id,
    title: z.string().trim().min(3).max(1000),
    code: FileCode,
    retentionCode: RetentionCode,
    ownerId: Id,
    openedOn: Day,
    departmentId: Id.optional(),
  }),
]);
export type OpenWorkFile = z.infer<typeof OpenWorkFile>;

export const WorkFile = z.object({
  id: Id,
  agencyId: Id,
  agencyName: z.string(),
  listItemId: Id.nullable(),
  year: z.number().int(),
  code: z.string(),
  title: z.string(),
  retentionCode: z.string(),
  retentionLabel: z.string(),
  retentionYears: z.number().int().nullable(),
  departmentId: Id.nullable(),
  departmentName: z.string().nullable(),
  ownerId: Id,
  ownerName: z.string(),
  status: z.enum(WORK_FILE_STATUSES),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  closingNote: z.string().nullable(),
  depositedOn: z.string().nullable(),
  documentCount: z.number().int(),
});
export type WorkFile = z.infer<typeof WorkFile>;

export const WorkFileDocument = z.object({
  documentId: Id,
  addedAt: z.string(),
  addedByName: z.string().nullable(),
  /** Null when the reader may not see the document (e.g. a secret one): counted, not shown. */
  document: z.lazy(() => DocumentSummary).nullable(),
});
export const WorkFileNote = z.object({
  id: Id,
  body: z.string(),
  authorId: Id.nullable(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});
export const WorkFileDetail = WorkFile.extend({
  documents: z.array(WorkFileDocument),
  notes: z.array(WorkFileNote),
  /** What the reader may do now (the server checks again). */
  canChange: z.boolean(),
  canReopen: z.boolean(),
  canDeposit: z.boolean(),
});
export type WorkFileDetail = z.infer<typeof WorkFileDetail>;

export const WorkFileQuery = z.object({
  agencyId: Id.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(WORK_FILE_STATUSES).optional(),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const AttachDocument = z.object({ documentId: Id });
export const AddWorkFileNote = z.object({ body: z.string().trim().min(1).max(4000) });
export const CloseWorkFile = z.object({
  /** Thời gian kết thúc; today when left out. */
  closedOn: Day.optional(),
  /** Chứng từ kết thúc: what the file holds and its state when closed. */
  closingNote: z.string().trim().min(3).max(4000),
});
export const ReopenWorkFile = z.object({ reason: z.string().trim().min(3).max(2000) });
export const DepositWorkFile = z.object({ depositedOn: Day.optional() });

export const ArchiveDueQuery = z.object({
  agencyId: Id.optional(),
  /** Include files whose deposit deadline falls within this many days from today. */
  withinDays: z.coerce.number().int().min(0).max(3660).default(30),
});
export const ArchiveDueItem = WorkFile.extend({
  /** Hạn nộp lưu: 01 year after the work ended (NĐ 30 art. 30). */
  depositDue: z.string(),
  overdue: z.boolean(),
});
export type ArchiveDueItem = z.infer<typeof ArchiveDueItem>;
