import type { Db } from '../../db/pool.ts';

export function calendarRepo(db: Db) {
  return {
    listNotices(year?: number) {
      let qb = db.selectFrom('holiday_notices').selectAll();
      if (year) qb = qb.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
      return qb.orderBy('date').execute();
    },
    findNotice(id: string) {
      return db.selectFrom('holiday_notices').selectAll().where('id', '=', id).executeTakeFirst();
    },
    noticeOn(date: string) {
      return db.selectFrom('holiday_notices').select('id').where('date', '=', date).executeTakeFirst();
    },
    insertNotice(n: {
      id: string;
      date: string;
      kind: 'day_off' | 'makeup_workday';
      name: string;
      legal_ref: string | null;
    }) {
      return db.insertInto('holiday_notices').values(n).returningAll().executeTakeFirstOrThrow();
    },
    deleteNotice(id: string) {
      return db.deleteFrom('holiday_notices').where('id', '=', id).executeTakeFirst();
    },
  };
}
