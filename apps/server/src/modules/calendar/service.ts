import { WorkCalendar } from '@congvu/workdays';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { calendarRepo } from './repo.ts';

type NoticeRow = Awaited<ReturnType<ReturnType<typeof calendarRepo>['listNotices']>>[number];

const present = (n: NoticeRow) => ({
  id: n.id,
  date: n.date,
  kind: n.kind,
  name: n.name,
  legalRef: n.legal_ref,
});

/**
 * The working calendar = statutory rules (packages/workdays) + the yearly notices entered here.
 * Built once and rebuilt when a notice changes; other modules ask `calendar()` for deadlines.
 */
export function calendarService(db: Db) {
  const repo = calendarRepo(db);
  let cached: Promise<WorkCalendar> | null = null;

  const service = {
    calendar(): Promise<WorkCalendar> {
      cached ??= repo
        .listNotices()
        .then(
          (rows) =>
            new WorkCalendar({ notices: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name })) }),
        );
      return cached;
    },
    async daysOff(year: number) {
      const cal = await service.calendar();
      const notices = new Set(
        (await repo.listNotices(year)).filter((n) => n.kind === 'day_off').map((n) => n.date),
      );
      return cal.daysOff(year).map((d) => ({
        date: d.date,
        name: d.name,
        source: notices.has(d.date) ? ('notice' as const) : ('statutory' as const),
      }));
    },
    async addWorkingDays(from: string, days: number) {
      return (await service.calendar()).addWorkingDays(from, days);
    },
    async listNotices(year?: number) {
      return (await repo.listNotices(year)).map(present);
    },
    async createNotice(
      actor: AuditActor,
      input: {
        date: string;
        kind: 'day_off' | 'makeup_workday';
        name: string;
        legalRef?: string | undefined;
      },
    ) {
      const row = await db.transaction().execute(async (trx) => {
        const r = calendarRepo(trx);
        if (await r.noticeOn(input.date)) throw new AppError('HOLIDAY_NOTICE_EXISTS');
        const n = await r.insertNotice({
          id: uuidv7(),
          date: input.date,
          kind: input.kind,
          name: input.name,
          legal_ref: input.legalRef ?? null,
        });
        await recordAudit(trx, actor, {
          action: 'calendar.notice.created',
          entityType: 'holiday_notice',
          entityId: n.id,
          summary: { after: present(n) },
        });
        return n;
      });
      cached = null;
      return present(row);
    },
    async deleteNotice(actor: AuditActor, id: string) {
      await db.transaction().execute(async (trx) => {
        const r = calendarRepo(trx);
        const n = await r.findNotice(id);
        if (!n) throw new AppError('NOT_FOUND');
        await r.deleteNotice(id);
        await recordAudit(trx, actor, {
          action: 'calendar.notice.deleted',
          entityType: 'holiday_notice',
          entityId: id,
          summary: { before: present(n) },
        });
      });
      cached = null;
    },
  };
  return service;
}

export type CalendarService = ReturnType<typeof calendarService>;
