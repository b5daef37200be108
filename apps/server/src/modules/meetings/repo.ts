import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/pool.ts';
import type {
  MeetingAttendanceTable,
  MeetingBodiesTable,
  MeetingDocumentsTable,
  MeetingDocumentVersionsTable,
  MeetingItemsTable,
  MeetingMembersTable,
  MeetingPollsTable,
  MeetingSpeakersTable,
  MeetingsTable,
} from '../../db/schema.ts';

/** All SQL of the meetings module. */
export function meetingsRepo(db: Db) {
  return {
    // --- rules (law as data)
    rules(day: string) {
      return db
        .selectFrom('meeting_rules')
        .selectAll()
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .orderBy('code')
        .execute();
    },
    rule(code: string, day: string) {
      return db
        .selectFrom('meeting_rules')
        .selectAll()
        .where('code', '=', code)
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .executeTakeFirst();
    },

    // --- bodies and members
    async insertBody(row: Insertable<MeetingBodiesTable>) {
      return db.insertInto('meeting_bodies').values(row).returningAll().executeTakeFirstOrThrow();
    },
    body(id: string) {
      return db.selectFrom('meeting_bodies').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** Bodies of the given agencies (null: all), by name. */
    bodies(agencyIds: string[] | null) {
      if (agencyIds && !agencyIds.length) return Promise.resolve([]);
      let q = db.selectFrom('meeting_bodies').selectAll();
      if (agencyIds) q = q.where('agency_id', 'in', agencyIds);
      return q.orderBy('name').execute();
    },
    /** Bodies the official is a member of on the day. */
    bodiesOfOfficial(officialId: string, day: string) {
      return db
        .selectFrom('meeting_bodies as b')
        .innerJoin('meeting_members as m', 'm.body_id', 'b.id')
        .selectAll('b')
        .where('m.official_id', '=', officialId)
        .where('m.valid_from', '<=', day)
        .where((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>', day)]))
        .distinct()
        .execute();
    },
    async insertMember(row: Insertable<MeetingMembersTable>) {
      return db.insertInto('meeting_members').values(row).returningAll().executeTakeFirstOrThrow();
    },
    /** Members of a body on a day, in Vietnamese name order. */
    members(bodyId: string, day: string | null) {
      let q = db.selectFrom('meeting_members').selectAll().where('body_id', '=', bodyId);
      if (day)
        q = q
          .where('valid_from', '<=', day)
          .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]));
      return q.orderBy(sql`sort_key COLLATE "C"`).orderBy('id').execute();
    },
    memberOfOfficial(bodyId: string, officialId: string, day: string) {
      return db
        .selectFrom('meeting_members')
        .selectAll()
        .where('body_id', '=', bodyId)
        .where('official_id', '=', officialId)
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', day)]))
        .executeTakeFirst();
    },
    member(id: string) {
      return db.selectFrom('meeting_members').selectAll().where('id', '=', id).executeTakeFirst();
    },

    // --- meetings and agenda
    async insertMeeting(row: Insertable<MeetingsTable>) {
      return db.insertInto('meetings').values(row).returningAll().executeTakeFirstOrThrow();
    },
    meeting(id: string, lock = false) {
      let q = db
        .selectFrom('meetings as m')
        .innerJoin('meeting_bodies as b', 'b.id', 'm.body_id')
        .selectAll('m')
        .select(['b.name as body_name', 'b.agency_id', 'b.quorum_rule'])
        .where('m.id', '=', id);
      if (lock) q = q.forUpdate('m');
      return q.executeTakeFirst();
    },
    meetingsOfBodies(bodyIds: string[]) {
      if (!bodyIds.length) return Promise.resolve([]);
      return db
        .selectFrom('meetings as m')
        .innerJoin('meeting_bodies as b', 'b.id', 'm.body_id')
        .selectAll('m')
        .select(['b.name as body_name', 'b.agency_id', 'b.quorum_rule'])
        .where('m.body_id', 'in', bodyIds)
        .orderBy('m.starts_at', 'desc')
        .limit(200)
        .execute();
    },
    async updateMeeting(id: string, set: Partial<Insertable<MeetingsTable>>) {
      await db.updateTable('meetings').set(set).where('id', '=', id).execute();
    },
    async insertItems(rows: Insertable<MeetingItemsTable>[]) {
      if (rows.length) await db.insertInto('meeting_items').values(rows).execute();
    },
    items(meetingId: string) {
      return db
        .selectFrom('meeting_items')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .orderBy('ordinal')
        .execute();
    },
    async setItemStatus(id: string, status: 'pending' | 'current' | 'done') {
      await db.updateTable('meeting_items').set({ status }).where('id', '=', id).execute();
    },
    item(meetingId: string, id: string) {
      return db
        .selectFrom('meeting_items')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    // --- attendance
    /** Invites members not invited yet; returns the ids of those it added. */
    async invite(rows: Insertable<MeetingAttendanceTable>[]) {
      if (!rows.length) return [];
      const r = await db
        .insertInto('meeting_attendance')
        .values(rows)
        .onConflict((oc) => oc.columns(['meeting_id', 'member_id']).doNothing())
        .returning('member_id')
        .execute();
      return r.map((x) => x.member_id);
    },
    attendance(meetingId: string) {
      return db
        .selectFrom('meeting_attendance as a')
        .innerJoin('meeting_members as m', 'm.id', 'a.member_id')
        .selectAll('a')
        .select(['m.full_name', 'm.role', 'm.voting', 'm.official_id', 'm.sort_key'])
        .where('a.meeting_id', '=', meetingId)
        .orderBy(sql`m.sort_key COLLATE "C"`)
        .orderBy('m.id')
        .execute();
    },
    attendanceOf(meetingId: string, memberId: string) {
      return db
        .selectFrom('meeting_attendance')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .where('member_id', '=', memberId)
        .executeTakeFirst();
    },
    async respond(
      meetingId: string,
      memberId: string,
      set: Pick<MeetingAttendanceTable, 'response' | 'reason' | 'delegated_to' | 'responded_at'>,
    ) {
      await db
        .updateTable('meeting_attendance')
        .set(set)
        .where('meeting_id', '=', meetingId)
        .where('member_id', '=', memberId)
        .execute();
    },
    /** Checks a member in once; false if already checked in. */
    async checkIn(meetingId: string, memberId: string, at: Date, by: string | null) {
      const r = await db
        .updateTable('meeting_attendance')
        .set({ checked_in_at: at, checked_in_by: by })
        .where('meeting_id', '=', meetingId)
        .where('member_id', '=', memberId)
        .where('checked_in_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Voting members checked in to the meeting. */
    async presentVoting(meetingId: string) {
      const r = await db
        .selectFrom('meeting_attendance as a')
        .innerJoin('meeting_members as m', 'm.id', 'a.member_id')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('a.meeting_id', '=', meetingId)
        .where('a.checked_in_at', 'is not', null)
        .where('m.voting', '=', true)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // --- polls
    async insertPoll(row: Insertable<MeetingPollsTable>) {
      return db.insertInto('meeting_polls').values(row).returningAll().executeTakeFirstOrThrow();
    },
    /** A poll; `lock`: 'share' while a vote is written, 'update' to close it. */
    poll(id: string, lock?: 'share' | 'update') {
      let q = db.selectFrom('meeting_polls').selectAll().where('id', '=', id);
      if (lock === 'share') q = q.forShare();
      if (lock === 'update') q = q.forUpdate();
      return q.executeTakeFirst();
    },
    polls(meetingId: string) {
      return db
        .selectFrom('meeting_polls')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .orderBy('opened_at')
        .orderBy('id')
        .execute();
    },
    async closePoll(
      id: string,
      set: Pick<MeetingPollsTable, 'cast_count' | 'outcome'> & { closed_at: Date },
    ) {
      await db
        .updateTable('meeting_polls')
        .set({ ...set, status: 'closed' })
        .where('id', '=', id)
        .execute();
    },
    /** Records that the member voted; false if they already had. */
    async addVoter(pollId: string, memberId: string) {
      const r = await db
        .insertInto('meeting_poll_voters')
        .values({ poll_id: pollId, member_id: memberId })
        .onConflict((oc) => oc.columns(['poll_id', 'member_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async voted(pollId: string, memberId: string) {
      return !!(await db
        .selectFrom('meeting_poll_voters')
        .select('member_id')
        .where('poll_id', '=', pollId)
        .where('member_id', '=', memberId)
        .executeTakeFirst());
    },
    async voterCount(pollId: string) {
      const r = await db
        .selectFrom('meeting_poll_voters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('poll_id', '=', pollId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async addChoice(pollId: string, memberId: string, option: number) {
      await db
        .insertInto('meeting_poll_choices')
        .values({ poll_id: pollId, member_id: memberId, option })
        .execute();
    },
    /** A secret ballot: the box row has a random id and nothing else but the choice. */
    async dropBallot(id: string, pollId: string, option: number) {
      await db.insertInto('meeting_poll_box').values({ id, poll_id: pollId, option }).execute();
    },
    /** Counts per option of the box (secret) or of the choices (open, named). */
    async tally(pollId: string, secret: boolean) {
      const rows = secret
        ? await db
            .selectFrom('meeting_poll_box')
            .select(['option', (eb) => eb.fn.countAll<string>().as('n')])
            .where('poll_id', '=', pollId)
            .groupBy('option')
            .execute()
        : await db
            .selectFrom('meeting_poll_choices')
            .select(['option', (eb) => eb.fn.countAll<string>().as('n')])
            .where('poll_id', '=', pollId)
            .groupBy('option')
            .execute();
      return new Map(rows.map((r) => [r.option, Number(r.n)]));
    },
    async emptyBox(pollId: string) {
      await db.deleteFrom('meeting_poll_box').where('poll_id', '=', pollId).execute();
    },
    async insertResults(pollId: string, counts: number[]) {
      await db
        .insertInto('meeting_poll_results')
        .values(counts.map((count, option) => ({ poll_id: pollId, option, count })))
        .execute();
    },
    async results(pollId: string) {
      return db
        .selectFrom('meeting_poll_results')
        .select(['option', 'count'])
        .where('poll_id', '=', pollId)
        .orderBy('option')
        .execute();
    },
    // --- speakers
    /** The list: the one speaking, then points of order, then speeches, each by position; then the rest. */
    speakers(meetingId: string) {
      return db
        .selectFrom('meeting_speakers as s')
        .innerJoin('meeting_members as m', 'm.id', 's.member_id')
        .selectAll('s')
        .select(['m.full_name'])
        .where('s.meeting_id', '=', meetingId)
        .orderBy(sql`CASE s.status WHEN 'speaking' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END`)
        .orderBy(sql`CASE s.kind WHEN 'point_of_order' THEN 0 ELSE 1 END`)
        .orderBy('s.position')
        .orderBy('s.requested_at')
        .execute();
    },
    speaker(id: string) {
      return db.selectFrom('meeting_speakers').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async nextPosition(meetingId: string) {
      const r = await db
        .selectFrom('meeting_speakers')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      return Number(r?.p ?? 0) + 1;
    },
    async insertSpeaker(row: Insertable<MeetingSpeakersTable>) {
      await db.insertInto('meeting_speakers').values(row).execute();
    },
    async setSpeaker(
      id: string,
      set: Partial<Pick<MeetingSpeakersTable, 'position' | 'started_at' | 'ended_at'>> & {
        status?: 'waiting' | 'speaking' | 'done' | 'withdrawn';
      },
    ) {
      await db.updateTable('meeting_speakers').set(set).where('id', '=', id).execute();
    },
    /** Ends whoever is speaking in the meeting; returns their id, if any. */
    async stopSpeaking(meetingId: string, at: Date) {
      const r = await db
        .updateTable('meeting_speakers')
        .set({ status: 'done', ended_at: at })
        .where('meeting_id', '=', meetingId)
        .where('status', '=', 'speaking')
        .returning('id')
        .executeTakeFirst();
      return r?.id;
    },

    // --- documents
    async insertDocument(row: Insertable<MeetingDocumentsTable>) {
      await db.insertInto('meeting_documents').values(row).execute();
    },
    async insertVersion(row: Insertable<MeetingDocumentVersionsTable>) {
      await db.insertInto('meeting_document_versions').values(row).execute();
    },
    document(id: string) {
      return db.selectFrom('meeting_documents').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** The documents of a meeting, each with its current (highest) version. */
    documents(meetingId: string) {
      return db
        .selectFrom('meeting_documents as d')
        .innerJoin('meeting_document_versions as v', 'v.document_id', 'd.id')
        .innerJoin('blobs as b', 'b.sha256', 'v.sha256')
        .selectAll('d')
        .select([
          'v.version',
          'v.sha256',
          'v.filename',
          'v.added_at',
          'v.after_invitation',
          'b.size',
          'b.mime',
        ])
        .where('d.meeting_id', '=', meetingId)
        .where((eb) =>
          eb(
            'v.version',
            '=',
            eb
              .selectFrom('meeting_document_versions as w')
              .select((w) => w.fn.max('w.version').as('m'))
              .whereRef('w.document_id', '=', 'd.id'),
          ),
        )
        .orderBy('d.created_at')
        .orderBy('d.id')
        .execute();
    },
    version(documentId: string, version: number) {
      return db
        .selectFrom('meeting_document_versions as v')
        .innerJoin('blobs as b', 'b.sha256', 'v.sha256')
        .selectAll('v')
        .select(['b.mime', 'b.size'])
        .where('v.document_id', '=', documentId)
        .where('v.version', '=', version)
        .executeTakeFirst();
    },
    async lastVersion(documentId: string) {
      const r = await db
        .selectFrom('meeting_document_versions')
        .select((eb) => eb.fn.max('version').as('m'))
        .where('document_id', '=', documentId)
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    /** Records that versions reached a member (once each). */
    async delivered(
      rows: Array<{ document_id: string; version: number; member_id: string; delivered_at: Date }>,
    ) {
      if (!rows.length) return;
      await db
        .insertInto('meeting_document_receipts')
        .values(rows)
        .onConflict((oc) => oc.columns(['document_id', 'version', 'member_id']).doNothing())
        .execute();
    },
    /** Records the first opening of a version by a member. */
    async opened(documentId: string, version: number, memberId: string, at: Date) {
      await db
        .insertInto('meeting_document_receipts')
        .values({ document_id: documentId, version, member_id: memberId, delivered_at: at, opened_at: at })
        .onConflict((oc) =>
          oc.columns(['document_id', 'version', 'member_id']).doUpdateSet({
            opened_at: sql`coalesce(meeting_document_receipts.opened_at, excluded.opened_at)`,
          }),
        )
        .execute();
    },
    receiptsOf(meetingId: string, memberId: string | null) {
      let q = db
        .selectFrom('meeting_document_receipts as r')
        .innerJoin('meeting_documents as d', 'd.id', 'r.document_id')
        .innerJoin('meeting_members as m', 'm.id', 'r.member_id')
        .select([
          'r.document_id',
          'r.version',
          'r.member_id',
          'r.delivered_at',
          'r.opened_at',
          'd.title',
          'm.full_name',
        ])
        .where('d.meeting_id', '=', meetingId);
      if (memberId) q = q.where('r.member_id', '=', memberId);
      return q.orderBy(sql`m.sort_key COLLATE "C"`).orderBy('d.created_at').orderBy('r.version').execute();
    },

    // --- notices
    async insertNotice(row: {
      id: string;
      meeting_id: string;
      text: string;
      created_by: string | null;
      created_at: Date;
    }) {
      await db.insertInto('meeting_notices').values(row).execute();
    },
    notices(meetingId: string) {
      return db
        .selectFrom('meeting_notices')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },
    choices(pollId: string) {
      return db
        .selectFrom('meeting_poll_choices as c')
        .innerJoin('meeting_members as m', 'm.id', 'c.member_id')
        .select(['c.member_id', 'c.option', 'm.full_name'])
        .where('c.poll_id', '=', pollId)
        .orderBy(sql`m.sort_key COLLATE "C"`)
        .execute();
    },
  };
}
export type MeetingsRepo = ReturnType<typeof meetingsRepo>;
