import type {
  CreateFileListItem,
  DocumentSummary,
  OpenWorkFile,
  UpdateFileListItem,
  WorkFileDetail,
} from '@congvu/contracts';
import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { localDay } from '../../platform/vntime.ts';
import type { DocumentsService } from '../documents/service.ts';
import type { OrgService } from '../org/service.ts';
import { workfilesPolicy as policy, type WorkFilesScope } from './policy.ts';
import { workfilesRepo } from './repo.ts';

/**
 * Files whose class must be deposited go to the agency archive within 01 year after the work
 * ends (NĐ 30/2020 art. 30). Construction records (03 months after final accounts) are not
 * modelled yet.
 */
export const DEPOSIT_WITHIN_YEARS = 1;

type Actor = AuditActor & { auth: AuthContext };

/** Today in Việt Nam. */
function vnToday(now = new Date()): string {
  return localDay(now);
}
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const isUniqueViolation = (e: unknown, constraint?: string) =>
  (e as { code?: string }).code === '23505' &&
  (constraint === undefined || (e as { constraint?: string }).constraint === constraint);
const cleanOrNull = (s: string | null | undefined) =>
  s === undefined ? undefined : s === null || s === '' ? null : nfc(s);

export function workfilesService(db: Db, org: OrgService, documents: DocumentsService) {
  const repo = workfilesRepo(db);

  async function scope(auth: AuthContext): Promise<WorkFilesScope> {
    const who = auth.actingFor?.id ?? auth.officialId;
    const [agencyIds, departmentIds] = who
      ? await Promise.all([org.agencyIdsOf(who), org.departmentIdsOf(who)])
      : [[], []];
    return policy.scope(auth, who, agencyIds, departmentIds);
  }

  /** The list if the reader works in its agency; otherwise "not found", so existence does not leak. */
  async function readableList(auth: AuthContext, id: string) {
    const s = await scope(auth);
    const list = await repo.findList(id);
    if (!list || !policy.canReadList(s, list.agency_id)) throw new AppError('FILE_LIST_NOT_FOUND');
    return { s, list };
  }

  async function readableFile(auth: AuthContext, id: string) {
    const s = await scope(auth);
    const f = await repo.findFile(id);
    if (!f || !policy.canReadFile(s, f)) throw new AppError('WORK_FILE_NOT_FOUND');
    return { s, f };
  }

  async function changeableFile(auth: AuthContext, id: string) {
    const r = await readableFile(auth, id);
    if (!policy.canChangeFile(r.s, r.f)) throw new AppError('FORBIDDEN');
    return r;
  }

  async function checkRetention(code: string) {
    const c = await repo.findRetentionClass(code, vnToday());
    if (!c) throw new AppError('RETENTION_CLASS_UNKNOWN');
    return c;
  }

  /** The department and the official named must belong to the agency keeping the file. */
  async function checkPeople(
    agencyId: string,
    p: { departmentId?: string | null | undefined; officialId?: string | null | undefined },
  ) {
    if (p.departmentId) {
      const dep = await org.getDepartment(p.departmentId);
      if (dep.agencyId !== agencyId) throw new AppError('WORK_FILE_OWNER_INVALID');
    }
    if (p.officialId && !(await org.agencyIdsOf(p.officialId)).includes(agencyId))
      throw new AppError('WORK_FILE_OWNER_INVALID');
  }

  /** Runs a change of an open file under its row lock; a closed file refuses every change. */
  async function underOpenFile<T>(fileId: string, fn: (trx: Db) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      const locked = await workfilesRepo(trx).lockFile(fileId);
      if (!locked) throw new AppError('WORK_FILE_NOT_FOUND');
      if (locked.status !== 'open') throw new AppError('WORK_FILE_CLOSED');
      return fn(trx);
    });
  }

  async function listDetail(id: string) {
    const list = await repo.findList(id);
    if (!list) throw new AppError('FILE_LIST_NOT_FOUND');
    const items = await repo.itemsOf(id);
    return { ...presentList(list), items: items.map(presentItem) };
  }

  /** Changes items of a draft list under its row lock. */
  async function underDraftList<T>(listId: string, fn: (trx: Db) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      const locked = await workfilesRepo(trx).lockList(listId);
      if (!locked) throw new AppError('FILE_LIST_NOT_FOUND');
      if (locked.status !== 'draft') throw new AppError('FILE_LIST_APPROVED');
      return fn(trx);
    });
  }

  async function editableItem(auth: AuthContext, listId: string, itemId: string) {
    const { s, list } = await readableList(auth, listId);
    if (!policy.canEditList(s, list.agency_id)) throw new AppError('FORBIDDEN');
    const item = await repo.findItem(itemId);
    if (!item || item.list_id !== listId) throw new AppError('FILE_LIST_ITEM_NOT_FOUND');
    return { s, list, item };
  }

  const service = {
    async retentionClasses(asOf = vnToday()) {
      return (await repo.listRetentionClasses(asOf)).map((c) => ({
        code: c.code,
        label: c.label,
        years: c.years,
        depositRequired: c.deposit_required,
        validFrom: c.valid_from,
        validTo: c.valid_to,
      }));
    },

    // --- Danh mục hồ sơ

    async lists(auth: AuthContext, q: { agencyId?: string | undefined; year?: number | undefined }) {
      const s = await scope(auth);
      const ids = q.agencyId ? s.agencyIds.filter((a) => a === q.agencyId) : s.agencyIds;
      return (await repo.lists(ids, q.year)).map(presentList);
    },

    async getList(auth: AuthContext, id: string) {
      await readableList(auth, id);
      return listDetail(id);
    },

    async createList(actor: Actor, input: { agencyId: string; year: number }) {
      const s = await scope(actor.auth);
      if (!policy.canEditList(s, input.agencyId)) throw new AppError('FORBIDDEN');
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const made = await workfilesRepo(trx).insertList({
          id,
          agency_id: input.agencyId,
          year: input.year,
          created_by: s.who,
        });
        if (!made) throw new AppError('FILE_LIST_EXISTS');
        await recordAudit(trx, actor, {
          action: 'workfiles.list.created',
          entityType: 'file_list',
          entityId: id,
          summary: { agencyId: input.agencyId, year: input.year },
        });
      });
      return listDetail(id);
    },

    async addItem(actor: Actor, listId: string, input: CreateFileListItem) {
      const { s, list } = await readableList(actor.auth, listId);
      if (!policy.canEditList(s, list.agency_id)) throw new AppError('FORBIDDEN');
      await checkRetention(input.retentionCode);
      await checkPeople(list.agency_id, input);
      if (await repo.fileCodeTaken(list.agency_id, list.year, input.code))
        throw new AppError('FILE_CODE_TAKEN');
      const id = uuidv7();
      try {
        await underDraftList(listId, async (trx) => {
          await workfilesRepo(trx).insertItem({
            id,
            list_id: listId,
            section: cleanOrNull(input.section) ?? null,
            code: input.code,
            title: nfc(input.title),
            retention_code: input.retentionCode,
            department_id: input.departmentId ?? null,
            official_id: input.officialId ?? null,
            note: cleanOrNull(input.note) ?? null,
          });
          await recordAudit(trx, actor, {
            action: 'workfiles.list.item_added',
            entityType: 'file_list_item',
            entityId: id,
            summary: { listId, code: input.code, title: input.title, retentionCode: input.retentionCode },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('FILE_CODE_TAKEN');
        throw e;
      }
      return listDetail(listId);
    },

    async updateItem(actor: Actor, listId: string, itemId: string, patch: UpdateFileListItem) {
      const { list, item } = await editableItem(actor.auth, listId, itemId);
      if (patch.retentionCode !== undefined) await checkRetention(patch.retentionCode);
      await checkPeople(list.agency_id, patch);
      if (
        patch.code !== undefined &&
        patch.code !== item.code &&
        (await repo.fileCodeTaken(list.agency_id, list.year, patch.code))
      )
        throw new AppError('FILE_CODE_TAKEN');
      const set = {
        ...(patch.section !== undefined && { section: cleanOrNull(patch.section) ?? null }),
        ...(patch.code !== undefined && { code: patch.code }),
        ...(patch.title !== undefined && { title: nfc(patch.title) }),
        ...(patch.retentionCode !== undefined && { retention_code: patch.retentionCode }),
        ...(patch.departmentId !== undefined && { department_id: patch.departmentId }),
        ...(patch.officialId !== undefined && { official_id: patch.officialId }),
        ...(patch.note !== undefined && { note: cleanOrNull(patch.note) ?? null }),
      };
      try {
        await underDraftList(listId, async (trx) => {
          await workfilesRepo(trx).updateItem(itemId, set);
          await recordAudit(trx, actor, {
            action: 'workfiles.list.item_updated',
            entityType: 'file_list_item',
            entityId: itemId,
            summary: {
              listId,
              before: { code: item.code, title: item.title, retentionCode: item.retention_code },
              patch,
            },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('FILE_CODE_TAKEN');
        throw e;
      }
      return listDetail(listId);
    },

    async removeItem(actor: Actor, listId: string, itemId: string) {
      const { item } = await editableItem(actor.auth, listId, itemId);
      await underDraftList(listId, async (trx) => {
        await workfilesRepo(trx).deleteItem(itemId);
        await recordAudit(trx, actor, {
          action: 'workfiles.list.item_removed',
          entityType: 'file_list_item',
          entityId: itemId,
          summary: { listId, code: item.code, title: item.title },
        });
      });
      return listDetail(listId);
    },

    /** The head of the agency approves the list; it no longer changes (off-list files cover the rest). */
    async approveList(actor: Actor, id: string) {
      const { s, list } = await readableList(actor.auth, id);
      if (!policy.canApproveList(s, list.agency_id)) throw new AppError('FORBIDDEN');
      await underDraftList(id, async (trx) => {
        const r = workfilesRepo(trx);
        if ((await r.itemsOf(id)).length === 0) throw new AppError('FILE_LIST_EMPTY');
        await r.approveList(id, s.who);
        await recordAudit(trx, actor, {
          action: 'workfiles.list.approved',
          entityType: 'file_list',
          entityId: id,
          summary: { agencyId: list.agency_id, year: list.year },
        });
      });
      return listDetail(id);
    },

    // --- Hồ sơ công việc

    async listFiles(
      auth: AuthContext,
      q: {
        agencyId?: string | undefined;
        year?: number | undefined;
        status?: 'open' | 'closed' | undefined;
        mine: boolean;
        page: number;
        pageSize: number;
      },
    ) {
      const s = await scope(auth);
      const { rows, total } = await repo.listFiles(
        {
          agencyIds: s.agencyIds,
          seesAllOf: policy.seesAllFilesOf(s),
          who: s.who,
          departmentIds: s.departmentIds,
        },
        q,
        q.page,
        q.pageSize,
      );
      return { total, items: rows.map(presentFile) };
    },

    async getFile(auth: AuthContext, id: string): Promise<WorkFileDetail> {
      const { s, f } = await readableFile(auth, id);
      const [docs, notes] = await Promise.all([repo.documentsOf(id), repo.notesOf(id)]);
      const visible = new Map<string, DocumentSummary>(
        (
          await documents.visibleSummaries(
            auth,
            docs.map((d) => d.document_id),
          )
        ).map((d) => [d.id, d]),
      );
      const isClosedUndeposited = f.status === 'closed' && f.deposited_on === null;
      return {
        ...presentFile(f),
        documents: docs.map((d) => ({
          documentId: d.document_id,
          addedAt: d.added_at.toISOString(),
          addedByName: d.added_by_name,
          document: visible.get(d.document_id) ?? null,
        })),
        notes: notes.map((n) => ({
          id: n.id,
          body: n.body,
          authorId: n.author_id,
          authorName: n.author_name,
          createdAt: n.created_at.toISOString(),
        })),
        canChange: f.status === 'open' && auth.permissions.has(policy.manage) && policy.canChangeFile(s, f),
        canReopen: isClosedUndeposited && auth.permissions.has(policy.manage) && policy.canReopen(s, f),
        canDeposit:
          isClosedUndeposited &&
          f.deposit_required &&
          auth.permissions.has(policy.archive) &&
          policy.canDeposit(s, f.agency_id),
      };
    },

    /**
     * Lập hồ sơ. From an item of the approved list: its code, title, retention and unit; the
     * owner is the item's official, or the one opening it. Off the list: everything is given.
     */
    async openFile(actor: Actor, input: OpenWorkFile) {
      const s = await scope(actor.auth);
      if (!s.who) throw new AppError('FORBIDDEN');
      const today = vnToday();
      const id = uuidv7();
      let row: Parameters<ReturnType<typeof workfilesRepo>['insertFile']>[0];
      if ('listItemId' in input) {
        const item = await repo.findItem(input.listItemId);
        if (!item || !policy.canReadList(s, item.agency_id)) throw new AppError('FILE_LIST_ITEM_NOT_FOUND');
        if (item.list_status !== 'approved') throw new AppError('FILE_LIST_NOT_APPROVED');
        const owner = input.ownerId ?? item.official_id ?? s.who;
        const named = item.official_id === null || item.official_id === owner;
        if (
          !policy.canOpenFor(s, item.agency_id, owner) ||
          (!named && !policy.canEditList(s, item.agency_id))
        )
          throw new AppError('FORBIDDEN');
        await checkPeople(item.agency_id, { officialId: owner });
        const openedOn = input.openedOn ?? today;
        if (openedOn > today) throw new AppError('WORK_FILE_DATE_INVALID');
        row = {
          id,
          agency_id: item.agency_id,
          list_item_id: item.id,
          year: item.year,
          code: item.code,
          title: item.title,
          retention_code: item.retention_code,
          department_id: item.department_id,
          owner_id: owner,
          opened_on: openedOn,
          created_by: s.who,
        };
      } else {
        if (!policy.canOpenFor(s, input.agencyId, input.ownerId)) throw new AppError('FORBIDDEN');
        await checkRetention(input.retentionCode);
        await checkPeople(input.agencyId, { officialId: input.ownerId, departmentId: input.departmentId });
        if (input.openedOn > today) throw new AppError('WORK_FILE_DATE_INVALID');
        const year = Number(input.openedOn.slice(0, 4));
        if (await repo.itemCodeInList(input.agencyId, year, input.code))
          throw new AppError('FILE_CODE_TAKEN');
        row = {
          id,
          agency_id: input.agencyId,
          list_item_id: null,
          year,
          code: input.code,
          title: nfc(input.title),
          retention_code: input.retentionCode,
          department_id: input.departmentId ?? null,
          owner_id: input.ownerId,
          opened_on: input.openedOn,
          created_by: s.who,
        };
      }
      try {
        await db.transaction().execute(async (trx) => {
          await workfilesRepo(trx).insertFile(row);
          await recordAudit(trx, actor, {
            action: 'workfiles.file.opened',
            entityType: 'work_file',
            entityId: id,
            summary: {
              agencyId: row.agency_id,
              listItemId: row.list_item_id ?? null,
              year: row.year,
              code: row.code,
              title: row.title,
              ownerId: row.owner_id,
              openedOn: row.opened_on,
            },
          });
        });
      } catch (e) {
        if (isUniqueViolation(e, 'work_files_list_item_id_key'))
          throw new AppError('WORK_FILE_ALREADY_OPENED');
        if (isUniqueViolation(e)) throw new AppError('FILE_CODE_TAKEN');
        throw e;
      }
      return service.getFile(actor.auth, id);
    },

    /** Adds a document the reader may see, of the file's agency; adding it twice changes nothing. */
    async attachDocument(actor: Actor, fileId: string, documentId: string) {
      const { s, f } = await changeableFile(actor.auth, fileId);
      const [doc] = await documents.visibleSummaries(actor.auth, [documentId]);
      if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
      if (doc.agencyId !== f.agency_id) throw new AppError('WORK_FILE_DOCUMENT_AGENCY');
      await underOpenFile(fileId, async (trx) => {
        if (await workfilesRepo(trx).attachDocument(fileId, documentId, s.who)) {
          await recordAudit(trx, actor, {
            action: 'workfiles.file.document_attached',
            entityType: 'work_file',
            entityId: fileId,
            summary: { documentId, number: doc.number, notation: doc.notation },
          });
        }
      });
      return service.getFile(actor.auth, fileId);
    },

    async detachDocument(actor: Actor, fileId: string, documentId: string) {
      await changeableFile(actor.auth, fileId);
      await underOpenFile(fileId, async (trx) => {
        const r = await workfilesRepo(trx).detachDocument(fileId, documentId);
        if (Number(r.numDeletedRows) > 0) {
          await recordAudit(trx, actor, {
            action: 'workfiles.file.document_detached',
            entityType: 'work_file',
            entityId: fileId,
            summary: { documentId },
          });
        }
      });
    },

    /** A note; the same idempotency key adds it once. */
    async addNote(actor: Actor, fileId: string, body: string, idempotencyKey: string | null) {
      const { s } = await changeableFile(actor.auth, fileId);
      const replay = async () => {
        const prior = idempotencyKey ? await repo.noteByIdempotencyKey(idempotencyKey) : undefined;
        if (prior && prior.file_id !== fileId) throw new AppError('BAD_REQUEST');
        return prior;
      };
      if (!(await replay())) {
        const id = uuidv7();
        try {
          await underOpenFile(fileId, async (trx) => {
            await workfilesRepo(trx).insertNote({
              id,
              file_id: fileId,
              body: nfc(body),
              author_id: s.who,
              idempotency_key: idempotencyKey,
            });
            await recordAudit(trx, actor, {
              action: 'workfiles.file.note_added',
              entityType: 'work_file',
              entityId: fileId,
              summary: { noteId: id, body },
            });
          });
        } catch (e) {
          // The same key raced in twice: the loser answers like the winner.
          if (!(idempotencyKey && isUniqueViolation(e) && (await replay()))) throw e;
        }
      }
      return service.getFile(actor.auth, fileId);
    },

    async removeNote(actor: Actor, fileId: string, noteId: string) {
      await changeableFile(actor.auth, fileId);
      const note = await repo.findNote(noteId);
      if (!note || note.file_id !== fileId) throw new AppError('WORK_FILE_NOTE_NOT_FOUND');
      await underOpenFile(fileId, async (trx) => {
        await workfilesRepo(trx).deleteNote(noteId);
        await recordAudit(trx, actor, {
          action: 'workfiles.file.note_removed',
          entityType: 'work_file',
          entityId: fileId,
          summary: { noteId, body: note.body },
        });
      });
    },

    /** Kết thúc hồ sơ with the closing note; from then on the file refuses changes. */
    async close(actor: Actor, fileId: string, input: { closedOn?: string | undefined; closingNote: string }) {
      const { f } = await changeableFile(actor.auth, fileId);
      const today = vnToday();
      const closedOn = input.closedOn ?? today;
      if (closedOn > today || closedOn < f.opened_on) throw new AppError('WORK_FILE_DATE_INVALID');
      await underOpenFile(fileId, async (trx) => {
        await workfilesRepo(trx).closeFile(fileId, closedOn, nfc(input.closingNote));
        await recordAudit(trx, actor, {
          action: 'workfiles.file.closed',
          entityType: 'work_file',
          entityId: fileId,
          summary: { closedOn, closingNote: input.closingNote },
        });
      });
      return service.getFile(actor.auth, fileId);
    },

    /** Only the agency's leaders or administrators reopen a closed file, never a deposited one. */
    async reopen(actor: Actor, fileId: string, reason: string) {
      const { s, f } = await readableFile(actor.auth, fileId);
      if (!policy.canReopen(s, f)) throw new AppError('FORBIDDEN');
      await db.transaction().execute(async (trx) => {
        const r = workfilesRepo(trx);
        const locked = await r.lockFile(fileId);
        if (!locked) throw new AppError('WORK_FILE_NOT_FOUND');
        if (locked.deposited_on !== null) throw new AppError('WORK_FILE_DEPOSITED');
        if (locked.status !== 'closed') throw new AppError('WORK_FILE_NOT_CLOSED');
        await r.reopenFile(fileId);
        await recordAudit(trx, actor, {
          action: 'workfiles.file.reopened',
          entityType: 'work_file',
          entityId: fileId,
          summary: { reason, closedOnBefore: locked.closed_on, closingNoteBefore: locked.closing_note },
        });
      });
      return service.getFile(actor.auth, fileId);
    },

    /** Nộp lưu: the agency archive receives a closed file whose class must be deposited. */
    async deposit(actor: Actor, fileId: string, depositedOn: string | undefined) {
      const { s, f } = await readableFile(actor.auth, fileId);
      if (!policy.canDeposit(s, f.agency_id)) throw new AppError('FORBIDDEN');
      if (!f.deposit_required) throw new AppError('WORK_FILE_DEPOSIT_NOT_REQUIRED');
      const today = vnToday();
      const on = depositedOn ?? today;
      await db.transaction().execute(async (trx) => {
        const r = workfilesRepo(trx);
        const locked = await r.lockFile(fileId);
        if (!locked) throw new AppError('WORK_FILE_NOT_FOUND');
        if (locked.deposited_on !== null) throw new AppError('WORK_FILE_DEPOSITED');
        if (locked.status !== 'closed' || locked.closed_on === null)
          throw new AppError('WORK_FILE_NOT_CLOSED');
        if (on > today || on < locked.closed_on) throw new AppError('WORK_FILE_DATE_INVALID');
        await r.depositFile(fileId, on, s.who);
        await recordAudit(trx, actor, {
          action: 'workfiles.file.deposited',
          entityType: 'work_file',
          entityId: fileId,
          summary: { depositedOn: on, code: f.code, year: f.year },
        });
      });
      return service.getFile(actor.auth, fileId);
    },

    /**
     * Files due for deposit: closed, not deposited, of a class that must be deposited, whose
     * deadline (closing date + 01 year) has passed or falls within `withinDays`.
     */
    async archiveDue(auth: AuthContext, q: { agencyId?: string | undefined; withinDays: number }) {
      const s = await scope(auth);
      const ids = s.agencyIds.filter(
        (a) => policy.canDeposit(s, a) && (q.agencyId === undefined || a === q.agencyId),
      );
      const today = vnToday();
      const rows = await repo.archiveDue(ids, DEPOSIT_WITHIN_YEARS, addDays(today, q.withinDays));
      return rows.map((r) => ({
        ...presentFile(r),
        depositDue: r.deposit_due,
        overdue: r.deposit_due < today,
      }));
    },
  };
  return service;
}

export type WorkfilesService = ReturnType<typeof workfilesService>;

function presentList(l: {
  id: string;
  agency_id: string;
  agency_name: string;
  year: number;
  status: 'draft' | 'approved';
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: Date | null;
  item_count: string | number | null;
}) {
  return {
    id: l.id,
    agencyId: l.agency_id,
    agencyName: l.agency_name,
    year: l.year,
    status: l.status,
    approvedById: l.approved_by,
    approvedByName: l.approved_by_name,
    approvedAt: l.approved_at?.toISOString() ?? null,
    itemCount: Number(l.item_count ?? 0),
  };
}

function presentItem(i: {
  id: string;
  list_id: string;
  section: string | null;
  code: string;
  title: string;
  retention_code: string;
  retention_label: string;
  department_id: string | null;
  department_name: string | null;
  official_id: string | null;
  official_name: string | null;
  note: string | null;
  file_id: string | null;
  file_status: 'open' | 'closed' | null;
}) {
  return {
    id: i.id,
    listId: i.list_id,
    section: i.section,
    code: i.code,
    title: i.title,
    retentionCode: i.retention_code,
    retentionLabel: i.retention_label,
    departmentId: i.department_id,
    departmentName: i.department_name,
    officialId: i.official_id,
    officialName: i.official_name,
    note: i.note,
    fileId: i.file_id,
    fileStatus: i.file_status,
  };
}

function presentFile(f: {
  id: string;
  agency_id: string;
  agency_name: string;
  list_item_id: string | null;
  year: number;
  code: string;
  title: string;
  retention_code: string;
  retention_label: string;
  retention_years: number | null;
  department_id: string | null;
  department_name: string | null;
  owner_id: string;
  owner_name: string;
  status: 'open' | 'closed';
  opened_on: string;
  closed_on: string | null;
  closing_note: string | null;
  deposited_on: string | null;
  document_count: string | number | null;
}) {
  return {
    id: f.id,
    agencyId: f.agency_id,
    agencyName: f.agency_name,
    listItemId: f.list_item_id,
    year: f.year,
    code: f.code,
    title: f.title,
    retentionCode: f.retention_code,
    retentionLabel: f.retention_label,
    retentionYears: f.retention_years,
    departmentId: f.department_id,
    departmentName: f.department_name,
    ownerId: f.owner_id,
    ownerName: f.owner_name,
    status: f.status,
    openedOn: f.opened_on,
    closedOn: f.closed_on,
    closingNote: f.closing_note,
    depositedOn: f.deposited_on,
    documentCount: Number(f.document_count ?? 0),
  };
}
