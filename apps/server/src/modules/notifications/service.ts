import type { NotificationKind } from '@congvu/contracts';
import { nfc } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueMail } from '../../platform/mail/service.ts';
import type { OutboxHandler } from '../../platform/outbox/service.ts';
import type { AuthContext } from '../../platform/policy.ts';
import { DocumentEvent } from '../documents/events.ts';
import type { OrgService } from '../org/service.ts';
import { notificationsPolicy } from './policy.ts';
import { notificationsRepo } from './repo.ts';

type Row = NonNullable<Awaited<ReturnType<ReturnType<typeof notificationsRepo>['find']>>>;

/** One notification to make: for whom, about what. */
interface Planned {
  recipientId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  documentId: string;
}

const ROLE_TITLES = {
  lead: 'Văn bản giao chủ trì xử lý',
  support: 'Văn bản giao phối hợp xử lý',
  info: 'Văn bản gửi để biết',
} as const;

const URGENCY_WORDS: Record<string, string | null> = {
  normal: null,
  urgent: 'KHẨN',
  very_urgent: 'THƯỢNG KHẨN',
  flash: 'HỎA TỐC',
};

function cut(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1).trimEnd()}…`;
}

/** 'YYYY-MM-DD' → dd/MM/yyyy. */
function viDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Now in Việt Nam as dd/MM/yyyy HH:mm. */
function viNow(now = new Date()): string {
  const t = new Date(now.getTime() + 7 * 3_600_000).toISOString();
  return `${viDate(t.slice(0, 10))} ${t.slice(11, 16)}`;
}

export const documentLink = (id: string) => `/van-ban/${id}`;

export function notificationsService(db: Db, org: OrgService, opts: { publicUrl: string | undefined }) {
  const repo = notificationsRepo(db);

  function ownerOf(auth: AuthContext): string {
    const owner = notificationsPolicy.owner(auth);
    if (!owner) throw new AppError('FORBIDDEN');
    return owner;
  }

  /**
   * Department assignments reach the department's leaders (members holding the leader role for
   * its agency); a department without one reaches every member, since any member may act on it.
   */
  async function departmentRecipients(departmentId: string): Promise<string[]> {
    const leaders = await org.departmentMembers(departmentId, 'leader');
    return leaders.length ? leaders : org.departmentMembers(departmentId);
  }

  /** Who hears about a workflow event, and what they read. Secret subjects never leave the event. */
  async function plan(e: DocumentEvent, actorName: string): Promise<Planned[]> {
    const doc = e.secret ? 'một văn bản mật' : `văn bản “${cut(e.subject, 300)}”`;
    const draft = e.secret ? 'một dự thảo văn bản mật' : `dự thảo “${cut(e.subject, 300)}”`;
    const about = (s: string | null) => (s && !e.secret ? `: ${cut(s, 500)}` : '');
    const base = { documentId: e.documentId };
    switch (e.kind) {
      case 'assigned': {
        const out: Planned[] = [];
        for (const a of e.assignments) {
          const deadline = a.deadline ? ` Hạn xử lý: ${viDate(a.deadline)}.` : '';
          if (a.officialId)
            out.push({
              ...base,
              recipientId: a.officialId,
              kind: 'document_assigned',
              title: ROLE_TITLES[a.role],
              body: `${actorName} giao ${doc} cho đồng chí.${deadline}`,
            });
          if (a.departmentId) {
            const dep = await org.getDepartment(a.departmentId);
            for (const id of await departmentRecipients(a.departmentId))
              out.push({
                ...base,
                recipientId: id,
                kind: 'document_assigned',
                title: ROLE_TITLES[a.role],
                body: `${actorName} giao ${doc} cho ${dep.name}.${deadline}`,
              });
          }
        }
        return out;
      }
      case 'submitted':
      case 'forwarded':
        return [
          {
            ...base,
            recipientId: e.reviewerId,
            kind: 'draft_to_review',
            title: 'Dự thảo chờ đồng chí duyệt',
            body:
              e.kind === 'submitted'
                ? `${actorName} trình ${draft}.`
                : `${actorName} đã duyệt và chuyển ${draft} đến đồng chí.`,
          },
        ];
      case 'review_returned':
      case 'approved':
        if (!e.drafterId) return [];
        return [
          e.kind === 'review_returned'
            ? {
                ...base,
                recipientId: e.drafterId,
                kind: 'draft_returned',
                title: 'Dự thảo bị trả lại',
                body: `${actorName} trả lại ${draft}${about(e.comment)}.`,
              }
            : {
                ...base,
                recipientId: e.drafterId,
                kind: 'draft_approved',
                title: 'Dự thảo đã được duyệt',
                body: `${actorName} đã duyệt ${draft}; văn thư sẽ cấp số và phát hành.`,
              },
        ];
      case 'registered': {
        const urgent = URGENCY_WORDS[e.urgency];
        return (await org.roleHolders('leader', e.agencyId)).map((id) => ({
          ...base,
          recipientId: id,
          kind: 'document_to_assign',
          title: urgent ? `Văn bản ${urgent} chờ phân công` : 'Văn bản đến chờ phân công',
          body: `${actorName} đã vào sổ ${doc} (số đến ${e.number}) và trình đồng chí cho ý kiến chỉ đạo.`,
        }));
      }
      case 'issued': {
        const out: Planned[] = [];
        for (const d of e.deliveredTo)
          for (const id of await org.roleHolders('clerk', d.agencyId))
            out.push({
              documentId: d.documentId,
              recipientId: id,
              kind: 'document_received',
              title: 'Văn bản đến chờ vào sổ',
              body: `${e.issuerName} gửi ${doc}, số ${e.number}/${e.notation}.`,
            });
        return out;
      }
      case 'assignment_done':
      case 'assignment_returned':
        return [
          e.kind === 'assignment_done'
            ? {
                ...base,
                recipientId: e.assignerId,
                kind: 'assignment_done',
                title: 'Phân công đã hoàn thành',
                body: `${actorName} đã hoàn thành xử lý ${doc}${about(e.note)}.`,
              }
            : {
                ...base,
                recipientId: e.assignerId,
                kind: 'assignment_returned',
                title: 'Phân công bị trả lại',
                body: `${actorName} trả lại phân công xử lý ${doc}${about(e.note)}.`,
              },
        ];
    }
  }

  function mailText(fullName: string, p: Planned): string {
    const link = documentLink(p.documentId);
    const where = opts.publicUrl ? `${opts.publicUrl}${link}` : `${link} (trong hệ thống CongVu)`;
    return [
      `Kính gửi đồng chí ${fullName},`,
      '',
      p.body,
      '',
      `Xem chi tiết: ${where}`,
      '',
      '--',
      `Thư tự động của hệ thống CongVu, gửi lúc ${viNow()} (giờ Việt Nam). Vui lòng không trả lời thư này.`,
    ].join('\n');
  }

  /**
   * Outbox handler of `documents.event`: one notification per person concerned (never the one
   * who acted), each with one e-mail when the person has an address, all in the dispatcher's
   * transaction so a redelivered event notifies once.
   */
  const onDocumentEvent: OutboxHandler = async (payload, ctx) => {
    const e = DocumentEvent.parse(payload);
    const actor = e.actorId ? (await org.contacts([e.actorId]))[0] : undefined;
    const planned = (await plan(e, actor?.fullName ?? 'Hệ thống')).filter((p) => p.recipientId !== e.actorId);
    if (planned.length === 0) return { skipped: 'không có ai cần thông báo' };
    const people = new Map((await org.contacts(planned.map((p) => p.recipientId))).map((o) => [o.id, o]));
    const r = notificationsRepo(ctx.trx);
    for (const p of planned) {
      const person = people.get(p.recipientId);
      if (!person?.isActive) continue;
      const id = uuidv7();
      const inserted = await r.insert({
        id,
        recipient_id: p.recipientId,
        kind: p.kind,
        title: p.title,
        body: nfc(p.body),
        link: documentLink(p.documentId),
        document_id: p.documentId,
        dedupe_key: `${ctx.dedupeKey}:${p.documentId}:${p.recipientId}`,
      });
      if (inserted && person.email) {
        const subject = e.secret ? p.title : `${p.title}: ${cut(e.subject, 120)}`;
        await enqueueMail(
          ctx.trx,
          {
            to: person.email,
            toName: person.fullName,
            subject: nfc(`[CongVu] ${subject}`),
            text: nfc(mailText(person.fullName, p)),
          },
          `mail:notification:${id}`,
        );
      }
    }
    return undefined;
  };

  return {
    onDocumentEvent,

    async list(auth: AuthContext, q: { unread?: boolean | undefined; page: number; pageSize: number }) {
      const owner = ownerOf(auth);
      const [{ rows, total }, unread] = await Promise.all([
        repo.list(owner, { unread: q.unread, page: q.page, pageSize: q.pageSize }),
        repo.countUnread(owner),
      ]);
      return { total, unread, items: rows.map(present) };
    },

    async count(auth: AuthContext) {
      return { unread: await repo.countUnread(ownerOf(auth)) };
    },

    /** Idempotent; someone else's notification is "not found", so ids do not leak. */
    async markRead(auth: AuthContext, id: string) {
      const owner = ownerOf(auth);
      const n = await repo.find(id);
      if (!n || !notificationsPolicy.canTouch(owner, n)) throw new AppError('NOTIFICATION_NOT_FOUND');
      await repo.markRead(id, owner);
    },

    async markAllRead(auth: AuthContext) {
      return { updated: await repo.markAllRead(ownerOf(auth)) };
    },
  };
}

function present(n: Row) {
  return {
    id: n.id,
    kind: n.kind as NotificationKind,
    title: n.title,
    body: n.body,
    link: n.link,
    documentId: n.document_id,
    createdAt: n.created_at.toISOString(),
    readAt: n.read_at?.toISOString() ?? null,
  };
}

export type NotificationsService = ReturnType<typeof notificationsService>;
