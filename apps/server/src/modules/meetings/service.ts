import { randomUUID } from 'node:crypto';
import type { AgendaInput, AgendaItem, Meeting, Poll, Speaker } from '@congvu/contracts';
import { YES_NO_ABSTAIN } from '@congvu/contracts';
import { sortKeyViName } from '@congvu/vntext';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import { type AuditActor, recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import { enqueueMail } from '../../platform/mail/service.ts';
import { localDay, vnDateTime } from '../../platform/vntime.ts';
import type { OrgService } from '../org/service.ts';
import { invitationIcs } from './ics.ts';
import { meetingsPolicy } from './policy.ts';
import { meetingsRepo } from './repo.ts';
import { required, satisfies } from './rules.ts';

const dayOf = localDay;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** Speaking time given to a request (the chair's screen shows the countdown). */
const SPEECH_SECONDS = { speech: 300, point_of_order: 120 } as const;
/** At most one "how many have voted" event per poll in this time. */
const VOTED_EVERY_MS = 250;

/** What a meeting's live followers are told (issue 8: delegates' tablets, secretariat, projector). */
export type MeetingEvent =
  | { type: 'attendance'; memberId: string; checkedIn: boolean; present: number }
  | { type: 'meeting'; status: Meeting['status'] }
  | { type: 'item'; itemId: string; previousItemId: string | null }
  | { type: 'poll.opened'; pollId: string }
  | { type: 'poll.voted'; pollId: string; voted: number }
  | { type: 'poll.closed'; pollId: string; counts: number[]; outcome: 'passed' | 'failed' | null }
  | { type: 'notice'; noticeId: string; text: string; at: string }
  | { type: 'speakers'; items: Speaker[] }
  | { type: 'documents'; documentId: string; version: number };

export interface MeetingsOptions {
  now?: () => Date;
  /** Called after a change is committed, for live followers of the meeting. */
  publish?: (meetingId: string, event: MeetingEvent) => void;
  log?: (message: string, e: unknown) => void;
}

type Row<K extends keyof ReturnType<typeof meetingsRepo>> = NonNullable<
  Awaited<ReturnType<ReturnType<typeof meetingsRepo>[K]>>
>;

/**
 * Paperless meetings (issue 8): bodies and their members, meetings with an agenda tree,
 * invitations, attendance and check-in with the quorum, and polls. Secret polls keep who voted
 * (meeting_poll_voters) apart from what was chosen (meeting_poll_box: random id and choice only),
 * and the box is counted and emptied when the poll closes; docs/meetings.md.
 */
export function meetingsService(db: Db, org: OrgService, opts: MeetingsOptions = {}) {
  const now = opts.now ?? (() => new Date());
  const repo = meetingsRepo(db);
  const publish = (meetingId: string, e: MeetingEvent) => opts.publish?.(meetingId, e);

  /**
   * How many have voted, told to the followers at most every VOTED_EVERY_MS per poll: one event per
   * vote would be N² messages for N delegates (2,000 votes × 2,000 tablets).
   */
  const votedPending = new Set<string>();
  function announceVotes(meetingId: string, pollId: string) {
    if (!opts.publish || votedPending.has(pollId)) return;
    votedPending.add(pollId);
    setTimeout(() => {
      votedPending.delete(pollId);
      repo.voterCount(pollId).then(
        (voted) => publish(meetingId, { type: 'poll.voted', pollId, voted }),
        // Logged; the next vote or the close tells the count again.
        (e: unknown) => opts.log?.('meetings: counting the voters of a poll failed', e),
      );
    }, VOTED_EVERY_MS).unref();
  }

  async function speakerList(meetingId: string): Promise<Speaker[]> {
    return (await repo.speakers(meetingId)).map((x) => ({
      id: x.id,
      memberId: x.member_id,
      fullName: x.full_name,
      itemId: x.item_id,
      kind: x.kind,
      status: x.status,
      plannedSeconds: x.planned_seconds,
      requestedAt: x.requested_at.toISOString(),
      startedAt: iso(x.started_at),
      endedAt: iso(x.ended_at),
    }));
  }
  /** The list after a change, also to the live followers (it is short: one meeting's requests). */
  async function announceSpeakers(meetingId: string) {
    const items = await speakerList(meetingId);
    publish(meetingId, { type: 'speakers', items });
    return items;
  }

  /** The file must be one the official uploaded (as for documents' attachments). */
  async function ownFile(actor: AuditActor, sha256: string) {
    const who = actor.auth?.officialId;
    if (!who || !(await filesRepo(db).findOwnBlob(sha256, who))) throw new AppError('FILE_NOT_FOUND');
  }

  async function scopeOf(actor: AuditActor) {
    const auth = actor.auth;
    if (!auth) throw new AppError('UNAUTHENTICATED');
    const own = auth.officialId ? await org.agencyIdsOf(auth.officialId) : [];
    return meetingsPolicy.scope(auth, own);
  }

  async function bodyToRun(actor: AuditActor, bodyId: string) {
    const body = await repo.body(bodyId);
    if (!body) throw new AppError('MEETING_BODY_NOT_FOUND');
    if (!meetingsPolicy.runs(await scopeOf(actor), body.agency_id)) throw new AppError('FORBIDDEN');
    return body;
  }

  /**
   * A meeting as the actor may see it: whoever runs its body, or a member of the body on the
   * meeting's day; anyone else is told it does not exist.
   */
  async function access(
    actor: AuditActor,
    meetingId: string,
    /** What "not found" is called when asked through something of the meeting (a poll, …). */
    notFound:
      | 'MEETING_NOT_FOUND'
      | 'POLL_NOT_FOUND'
      | 'SPEAKER_NOT_FOUND'
      | 'MEETING_DOCUMENT_NOT_FOUND' = 'MEETING_NOT_FOUND',
  ) {
    const m = await repo.meeting(meetingId);
    if (!m) throw new AppError(notFound);
    const day = dayOf(m.starts_at);
    const officialId = actor.auth?.officialId ?? null;
    const member = officialId ? await repo.memberOfOfficial(m.body_id, officialId, day) : undefined;
    const runs = meetingsPolicy.runs(await scopeOf(actor), m.agency_id);
    if (!member && !runs) throw new AppError(notFound);
    return { m, day, member, runs };
  }

  function tree(rows: Awaited<ReturnType<typeof repo.items>>) {
    const byParent = new Map<string | null, typeof rows>();
    for (const r of rows) {
      const list = byParent.get(r.parent_id) ?? [];
      list.push(r);
      byParent.set(r.parent_id, list);
    }
    const build = (parent: string | null, prefix: string): AgendaItem[] =>
      (byParent.get(parent) ?? [])
        .sort((a, b) => a.ordinal - b.ordinal)
        .map((r) => {
          const number = prefix ? `${prefix}.${r.ordinal}` : String(r.ordinal);
          return {
            id: r.id,
            ordinal: r.ordinal,
            number,
            title: r.title,
            rapporteur: r.rapporteur,
            plannedMinutes: r.planned_minutes,
            status: r.status,
            items: build(r.id, number),
          };
        });
    return build(null, '');
  }

  async function present(m: Row<'meeting'>, member: Row<'member'> | undefined): Promise<Meeting> {
    return {
      id: m.id,
      bodyId: m.body_id,
      bodyName: m.body_name,
      kind: m.kind,
      title: m.title,
      place: m.place,
      onlineUrl: m.online_url,
      startsAt: m.starts_at.toISOString(),
      endsAt: iso(m.ends_at),
      status: m.status,
      invitedAt: iso(m.invited_at),
      currentItemId: m.current_item_id,
      agenda: tree(await repo.items(m.id)),
      me: member ? { memberId: member.id, role: member.role, voting: member.voting } : null,
    };
  }

  async function ruleIn(code: string, day: string) {
    const r = await repo.rule(code, day);
    if (!r) throw new AppError('MEETING_RULE_UNKNOWN', { rule: code });
    return r;
  }

  async function quorumOf(m: Row<'meeting'>, day: string) {
    const rule = await ruleIn(m.quorum_rule, day);
    const electorate = (await repo.members(m.body_id, day)).filter((x) => x.voting).length;
    const presentCount = await repo.presentVoting(m.id);
    const counts = { electorate, present: presentCount, cast: presentCount };
    return {
      rule: rule.code,
      label: rule.label_vi,
      electorate,
      present: presentCount,
      required: required(rule, counts),
      reached: satisfies(rule, presentCount, counts),
    };
  }

  async function presentPoll(p: Row<'poll'>, memberId: string | null): Promise<Poll> {
    const rule = await ruleIn(p.rule, dayOf(p.opened_at));
    const closed = p.status === 'closed';
    const counts = closed ? new Array<number>(p.options.length).fill(0) : null;
    if (counts) for (const r of await repo.results(p.id)) counts[r.option] = r.count;
    return {
      id: p.id,
      meetingId: p.meeting_id,
      itemId: p.item_id,
      title: p.title,
      kind: p.kind,
      options: p.options,
      rule: presentRule(rule),
      status: p.status,
      electorate: p.electorate,
      present: p.present,
      voted: closed ? (p.cast_count ?? 0) : await repo.voterCount(p.id),
      openedAt: p.opened_at.toISOString(),
      closedAt: iso(p.closed_at),
      counts,
      outcome: p.outcome,
      choices:
        closed && p.kind !== 'secret'
          ? (await repo.choices(p.id)).map((c) => ({
              memberId: c.member_id,
              fullName: c.full_name,
              option: c.option,
            }))
          : null,
      iVoted: memberId ? await repo.voted(p.id, memberId) : false,
    };
  }

  const service = {
    /** Whether an official may follow the meeting live (the topic check of platform/live.ts). */
    async canFollow(auth: AuditActor['auth'], meetingId: string) {
      if (!/^[0-9a-f-]{36}$/i.test(meetingId)) return false;
      try {
        await access({ auth, ip: null }, meetingId);
        return true;
      } catch (e) {
        if (e instanceof AppError) return false;
        throw e;
      }
    },
    async rules(day = dayOf(now())) {
      return (await repo.rules(day)).map(presentRule);
    },

    // --- bodies and members
    async createBody(
      actor: AuditActor,
      input: {
        agencyId: string;
        kind: Row<'body'>['kind'];
        name: string;
        parentId?: string | undefined;
        quorumRule: string;
      },
    ) {
      if (!meetingsPolicy.runs(await scopeOf(actor), input.agencyId)) throw new AppError('FORBIDDEN');
      await ruleIn(input.quorumRule, dayOf(now()));
      if (input.parentId && !(await repo.body(input.parentId))) throw new AppError('MEETING_BODY_NOT_FOUND');
      const body = await db.transaction().execute(async (trx) => {
        const b = await meetingsRepo(trx).insertBody({
          id: uuidv7(),
          agency_id: input.agencyId,
          kind: input.kind,
          name: input.name,
          parent_id: input.parentId ?? null,
          quorum_rule: input.quorumRule,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.body.created',
          entityType: 'meeting_body',
          entityId: b.id,
          summary: {
            after: { name: b.name, kind: b.kind, agencyId: b.agency_id, quorumRule: b.quorum_rule },
          },
        });
        return b;
      });
      return presentBody(body);
    },
    async bodies(actor: AuditActor) {
      const s = await scopeOf(actor);
      return (await repo.bodies(s.all ? null : s.agencyIds)).map(presentBody);
    },
    async addMember(
      actor: AuditActor,
      bodyId: string,
      input: {
        officialId?: string | undefined;
        fullName?: string | undefined;
        email?: string | undefined;
        role: Row<'member'>['role'];
        voting?: boolean | undefined;
        term?: string | undefined;
        validFrom: string;
        validTo?: string | undefined;
      },
    ) {
      await bodyToRun(actor, bodyId);
      let fullName = input.fullName ?? '';
      let email = input.email ?? null;
      if (input.officialId) {
        const o = await org.getOfficial(input.officialId);
        fullName = o.fullName;
        email = input.email ?? o.email;
      }
      const voting =
        input.voting ?? (input.role === 'chair' || input.role === 'vice_chair' || input.role === 'delegate');
      if (voting && (input.role === 'secretary' || input.role === 'guest'))
        throw new AppError('VALIDATION_ERROR', { voting: 'Thư ký và khách mời không biểu quyết' });
      const m = await db.transaction().execute(async (trx) => {
        const row = await meetingsRepo(trx).insertMember({
          id: uuidv7(),
          body_id: bodyId,
          official_id: input.officialId ?? null,
          full_name: fullName,
          sort_key: sortKeyViName(fullName),
          email,
          role: input.role,
          voting,
          term: input.term ?? null,
          valid_from: input.validFrom,
          valid_to: input.validTo ?? null,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.member.added',
          entityType: 'meeting_body',
          entityId: bodyId,
          summary: { after: { memberId: row.id, fullName, role: row.role, voting } },
        });
        return row;
      });
      return presentMember(m);
    },
    async members(actor: AuditActor, bodyId: string) {
      await bodyToRun(actor, bodyId);
      return (await repo.members(bodyId, null)).map(presentMember);
    },

    // --- meetings
    async createMeeting(
      actor: AuditActor,
      input: {
        bodyId: string;
        kind: Row<'meeting'>['kind'];
        title: string;
        place?: string | undefined;
        onlineUrl?: string | undefined;
        startsAt: string;
        endsAt?: string | undefined;
        agenda: AgendaInput[];
      },
    ) {
      await bodyToRun(actor, input.bodyId);
      const startsAt = new Date(input.startsAt);
      const endsAt = input.endsAt ? new Date(input.endsAt) : null;
      if (endsAt && endsAt <= startsAt)
        throw new AppError('VALIDATION_ERROR', { endsAt: 'Giờ kết thúc phải sau giờ bắt đầu' });
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        await r.insertMeeting({
          id,
          body_id: input.bodyId,
          kind: input.kind,
          title: input.title,
          place: input.place ?? null,
          online_url: input.onlineUrl ?? null,
          starts_at: startsAt,
          ends_at: endsAt,
          invited_at: null,
          opened_at: null,
          closed_at: null,
          current_item_id: null,
          created_by: actor.auth?.officialId ?? null,
        });
        const rows: Parameters<typeof r.insertItems>[0] = [];
        const walk = (items: AgendaInput[], parent: string | null) =>
          items.forEach((it, i) => {
            const itemId = uuidv7();
            rows.push({
              id: itemId,
              meeting_id: id,
              parent_id: parent,
              ordinal: i + 1,
              title: it.title,
              rapporteur: it.rapporteur ?? null,
              planned_minutes: it.plannedMinutes ?? null,
            });
            walk(it.items ?? [], itemId);
          });
        walk(input.agenda, null);
        // Parents before children (the foreign key), as walked.
        await r.insertItems(rows);
        await recordAudit(trx, actor, {
          action: 'meetings.meeting.created',
          entityType: 'meeting',
          entityId: id,
          summary: {
            after: { title: input.title, bodyId: input.bodyId, startsAt: input.startsAt, items: rows.length },
          },
        });
      });
      return service.meeting(actor, id);
    },
    async meeting(actor: AuditActor, id: string) {
      const { m, member } = await access(actor, id);
      return present(m, member);
    },
    /** Meetings of the bodies the actor runs or belongs to, newest first. */
    async meetings(actor: AuditActor) {
      const s = await scopeOf(actor);
      const run = await repo.bodies(s.all ? null : s.agencyIds);
      const officialId = actor.auth?.officialId;
      const mine = officialId ? await repo.bodiesOfOfficial(officialId, dayOf(now())) : [];
      const ids = [...new Set([...run, ...mine].map((b) => b.id))];
      return (await repo.meetingsOfBodies(ids)).map((m) => ({
        id: m.id,
        bodyId: m.body_id,
        bodyName: m.body_name,
        kind: m.kind,
        title: m.title,
        place: m.place,
        startsAt: m.starts_at.toISOString(),
        status: m.status,
      }));
    },

    /** Sends (or completes) the invitations: every member of the body on the meeting's day. */
    async invite(actor: AuditActor, id: string) {
      const { m, day, runs } = await access(actor, id);
      if (!runs) throw new AppError('FORBIDDEN');
      if (m.status === 'closed') throw new AppError('MEETING_STATE');
      const at = now();
      const invited = await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        const locked = await r.meeting(id, true);
        if (!locked || locked.status === 'closed') throw new AppError('MEETING_STATE');
        const members = await r.members(m.body_id, day);
        const added = new Set(
          await r.invite(members.map((x) => ({ meeting_id: id, member_id: x.id, invited_at: at }))),
        );
        const n = added.size;
        if (locked.status === 'draft') await r.updateMeeting(id, { status: 'invited', invited_at: at });
        // The invitation (giấy mời) by e-mail with its calendar entry, through the outbox: sent
        // after this commits, once per member (the dedupe key).
        const agenda = tree(await r.items(id));
        for (const x of members)
          if (added.has(x.id) && x.email)
            await enqueueMail(
              trx,
              {
                to: x.email,
                toName: x.full_name,
                subject: `Giấy mời họp: ${m.title}`,
                text: invitationText(m, agenda, x.full_name),
                calendar: {
                  filename: 'giay-moi.ics',
                  content: invitationIcs({
                    uid: `${id}@congvu`,
                    sequence: 0,
                    stamp: at,
                    start: m.starts_at,
                    end: m.ends_at,
                    summary: `${m.title} — ${m.body_name}`,
                    location: m.place,
                    description: invitationText(m, agenda, x.full_name),
                    url: m.online_url,
                    organizer: null,
                    attendee: { name: x.full_name, email: x.email },
                  }),
                },
              },
              `meeting.invite:${id}:${x.id}`,
            );
        await recordAudit(trx, actor, {
          action: 'meetings.meeting.invited',
          entityType: 'meeting',
          entityId: id,
          summary: { invited: n },
        });
        return n;
      });
      return { invited };
    },

    async respond(
      actor: AuditActor,
      id: string,
      input: {
        response: 'attend' | 'absent' | 'delegated';
        reason?: string | undefined;
        delegatedTo?: string | undefined;
      },
    ) {
      const { m, member } = await access(actor, id);
      if (!member || !(await repo.attendanceOf(id, member.id))) throw new AppError('MEETING_NOT_MEMBER');
      if (m.status === 'closed') throw new AppError('MEETING_STATE');
      await db.transaction().execute(async (trx) => {
        await meetingsRepo(trx).respond(id, member.id, {
          response: input.response,
          reason: input.response === 'absent' ? (input.reason ?? null) : null,
          delegated_to: input.response === 'delegated' ? (input.delegatedTo ?? null) : null,
          responded_at: now(),
        });
        await recordAudit(trx, actor, {
          action: 'meetings.attendance.responded',
          entityType: 'meeting',
          entityId: id,
          summary: { memberId: member.id, response: input.response },
        });
      });
      return service.attendance(actor, id);
    },

    /** Checks a member in: oneself, or anyone invited by whoever runs the body. Once. */
    async checkIn(actor: AuditActor, id: string, memberId?: string) {
      const { m, day, member, runs } = await access(actor, id);
      const target = memberId ?? member?.id;
      if (!target) throw new AppError('MEETING_NOT_MEMBER');
      if (target !== member?.id && !runs) throw new AppError('FORBIDDEN');
      if (m.status !== 'invited' && m.status !== 'open') throw new AppError('MEETING_STATE');
      if (!(await repo.attendanceOf(id, target))) throw new AppError('MEETING_MEMBER_NOT_FOUND');
      const changed = await db.transaction().execute(async (trx) => {
        const done = await meetingsRepo(trx).checkIn(id, target, now(), actor.auth?.officialId ?? null);
        if (done)
          await recordAudit(trx, actor, {
            action: 'meetings.attendance.checked_in',
            entityType: 'meeting',
            entityId: id,
            summary: { memberId: target, self: target === member?.id },
          });
        return done;
      });
      const q = await quorumOf(m, day);
      if (changed) publish(id, { type: 'attendance', memberId: target, checkedIn: true, present: q.present });
      return service.attendance(actor, id);
    },

    async attendance(actor: AuditActor, id: string) {
      const { m, day } = await access(actor, id);
      const rows = await repo.attendance(id);
      return {
        items: rows.map((r) => ({
          memberId: r.member_id,
          fullName: r.full_name,
          role: r.role,
          voting: r.voting,
          response: r.response,
          reason: r.reason,
          delegatedTo: r.delegated_to,
          respondedAt: iso(r.responded_at),
          checkedInAt: iso(r.checked_in_at),
          checkedInBySelf: r.checked_in_at
            ? r.checked_in_by !== null && r.checked_in_by === r.official_id
            : null,
        })),
        quorum: await quorumOf(m, day),
      };
    },

    /** Opens (invited → open) or closes (open → closed) the meeting: whoever presides. */
    async setStatus(actor: AuditActor, id: string, to: 'open' | 'closed') {
      const { m, member, runs } = await access(actor, id);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      const from = to === 'open' ? 'invited' : 'open';
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        const locked = await r.meeting(id, true);
        if (locked?.status !== from) throw new AppError('MEETING_STATE');
        if (to === 'closed' && (await r.polls(id)).some((p) => p.status === 'open'))
          throw new AppError('MEETING_STATE');
        await r.updateMeeting(
          id,
          to === 'open' ? { status: 'open', opened_at: now() } : { status: 'closed', closed_at: now() },
        );
        await recordAudit(trx, actor, {
          action: `meetings.meeting.${to === 'open' ? 'opened' : 'closed'}`,
          entityType: 'meeting',
          entityId: id,
          summary: { before: { status: m.status }, after: { status: to } },
        });
      });
      publish(id, { type: 'meeting', status: to });
      return service.meeting(actor, id);
    },

    /** Whoever presides moves the meeting to an agenda item: it becomes current, the previous one done. */
    async setCurrentItem(actor: AuditActor, meetingId: string, itemId: string) {
      const { member, runs } = await access(actor, meetingId);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      if (!(await repo.item(meetingId, itemId)))
        throw new AppError('VALIDATION_ERROR', { itemId: 'Không có trong chương trình' });
      const previous = await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        const locked = await r.meeting(meetingId, true);
        if (locked?.status !== 'open') throw new AppError('MEETING_STATE');
        const prev = locked.current_item_id;
        if (prev && prev !== itemId) await r.setItemStatus(prev, 'done');
        await r.setItemStatus(itemId, 'current');
        await r.updateMeeting(meetingId, { current_item_id: itemId });
        await recordAudit(trx, actor, {
          action: 'meetings.item.current',
          entityType: 'meeting',
          entityId: meetingId,
          summary: { before: { itemId: prev }, after: { itemId } },
        });
        return prev;
      });
      publish(meetingId, { type: 'item', itemId, previousItemId: previous });
      return service.meeting(actor, meetingId);
    },

    // --- documents
    /**
     * Adds a document (version 1) or a new version of one, from a file the official uploaded
     * (/api/files). Added after the invitations went out, it shows as new to every delegate until
     * they open it.
     */
    async addDocument(
      actor: AuditActor,
      meetingId: string,
      input: {
        itemId?: string | undefined;
        kind: 'main' | 'appendix' | 'draft_resolution' | 'other';
        title: string;
        sha256: string;
        filename: string;
      },
    ) {
      const { m, runs } = await access(actor, meetingId);
      if (!runs) throw new AppError('FORBIDDEN');
      if (m.status === 'closed') throw new AppError('MEETING_STATE');
      if (input.itemId && !(await repo.item(meetingId, input.itemId)))
        throw new AppError('VALIDATION_ERROR', { itemId: 'Không có trong chương trình' });
      await ownFile(actor, input.sha256);
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        const at = now();
        await r.insertDocument({
          id,
          meeting_id: meetingId,
          item_id: input.itemId ?? null,
          kind: input.kind,
          title: input.title,
          created_at: at,
        });
        await r.insertVersion({
          document_id: id,
          version: 1,
          sha256: input.sha256,
          filename: input.filename,
          added_at: at,
          added_by: actor.auth?.officialId ?? null,
          after_invitation: m.invited_at !== null,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.document.added',
          entityType: 'meeting_document',
          entityId: id,
          summary: { meetingId, title: input.title, kind: input.kind, sha256: input.sha256 },
        });
      });
      publish(meetingId, { type: 'documents', documentId: id, version: 1 });
      return { id, version: 1 };
    },
    async addVersion(actor: AuditActor, documentId: string, input: { sha256: string; filename: string }) {
      const d = await repo.document(documentId);
      if (!d) throw new AppError('MEETING_DOCUMENT_NOT_FOUND');
      const { m, runs } = await access(actor, d.meeting_id);
      if (!runs) throw new AppError('FORBIDDEN');
      if (m.status === 'closed') throw new AppError('MEETING_STATE');
      await ownFile(actor, input.sha256);
      const version = await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        await r.meeting(d.meeting_id, true);
        const v = (await r.lastVersion(documentId)) + 1;
        await r.insertVersion({
          document_id: documentId,
          version: v,
          sha256: input.sha256,
          filename: input.filename,
          added_at: now(),
          added_by: actor.auth?.officialId ?? null,
          after_invitation: m.invited_at !== null,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.document.replaced',
          entityType: 'meeting_document',
          entityId: documentId,
          summary: { version: v, sha256: input.sha256 },
        });
        return v;
      });
      publish(d.meeting_id, { type: 'documents', documentId, version });
      return { id: documentId, version };
    },
    /**
     * The meeting's documents, current versions. For a member this is the delivery: each version
     * listed is recorded as delivered to them (once), and flagged new while it was added after the
     * invitation and they have not opened it.
     */
    async documents(actor: AuditActor, meetingId: string) {
      const { member } = await access(actor, meetingId);
      const docs = await repo.documents(meetingId);
      const at = now();
      if (member)
        await repo.delivered(
          docs.map((x) => ({
            document_id: x.id,
            version: x.version,
            member_id: member.id,
            delivered_at: at,
          })),
        );
      const mine = member ? await repo.receiptsOf(meetingId, member.id) : [];
      const receipt = new Map(mine.map((r) => [`${r.document_id}/${r.version}`, r]));
      return docs.map((x) => {
        const r = receipt.get(`${x.id}/${x.version}`);
        return {
          id: x.id,
          itemId: x.item_id,
          kind: x.kind,
          title: x.title,
          version: x.version,
          filename: x.filename,
          size: Number(x.size),
          mime: x.mime,
          addedAt: x.added_at.toISOString(),
          deliveredAt: iso(r?.delivered_at ?? null),
          openedAt: iso(r?.opened_at ?? null),
          isNew: member ? x.after_invitation && !r?.opened_at : false,
        };
      });
    },
    /** A version's file (the current one unless asked); a member's first opening is recorded. */
    async openDocument(actor: AuditActor, documentId: string, version?: number) {
      const d = await repo.document(documentId);
      if (!d) throw new AppError('MEETING_DOCUMENT_NOT_FOUND');
      const { member } = await access(actor, d.meeting_id, 'MEETING_DOCUMENT_NOT_FOUND');
      const v = await repo.version(documentId, version ?? (await repo.lastVersion(documentId)));
      if (!v) throw new AppError('MEETING_DOCUMENT_NOT_FOUND');
      if (member) await repo.opened(documentId, v.version, member.id, now());
      return { sha256: v.sha256, mime: v.mime, filename: v.filename };
    },
    /** Proof of delivery, for whoever runs the body: every member × document version. */
    async deliveries(actor: AuditActor, meetingId: string) {
      const { runs } = await access(actor, meetingId);
      if (!runs) throw new AppError('FORBIDDEN');
      return (await repo.receiptsOf(meetingId, null)).map((r) => ({
        documentId: r.document_id,
        title: r.title,
        version: r.version,
        memberId: r.member_id,
        fullName: r.full_name,
        deliveredAt: r.delivered_at.toISOString(),
        openedAt: iso(r.opened_at),
      }));
    },

    // --- speakers
    async speakers(actor: AuditActor, meetingId: string): Promise<Speaker[]> {
      await access(actor, meetingId);
      return speakerList(meetingId);
    },
    /** A member asks for the floor (a point of order goes before every speech). */
    async requestToSpeak(
      actor: AuditActor,
      meetingId: string,
      input: { kind: 'speech' | 'point_of_order'; itemId?: string | undefined },
    ) {
      const { m, member } = await access(actor, meetingId);
      if (!member) throw new AppError('MEETING_NOT_MEMBER');
      if (m.status !== 'open') throw new AppError('MEETING_STATE');
      if (input.itemId && !(await repo.item(meetingId, input.itemId)))
        throw new AppError('VALIDATION_ERROR', { itemId: 'Không có trong chương trình' });
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        if (
          (await r.speakers(meetingId)).some(
            (x) => x.member_id === member.id && x.kind === input.kind && x.status === 'waiting',
          )
        )
          throw new AppError('SPEAKER_ALREADY_WAITING');
        await r.insertSpeaker({
          id,
          meeting_id: meetingId,
          item_id: input.itemId ?? m.current_item_id,
          member_id: member.id,
          kind: input.kind,
          position: await r.nextPosition(meetingId),
          planned_seconds: SPEECH_SECONDS[input.kind],
          requested_at: now(),
          started_at: null,
          ended_at: null,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.speaker.requested',
          entityType: 'meeting',
          entityId: meetingId,
          summary: { speakerId: id, memberId: member.id, kind: input.kind },
        });
      });
      return announceSpeakers(meetingId);
    },
    /**
     * The chair's moves on a request: start (whoever was speaking stops), stop, withdraw (also the
     * member themselves, while waiting).
     */
    async moveSpeaker(actor: AuditActor, speakerId: string, move: 'start' | 'stop' | 'withdraw') {
      const sp = await repo.speaker(speakerId);
      if (!sp) throw new AppError('SPEAKER_NOT_FOUND');
      const { member, runs } = await access(actor, sp.meeting_id, 'SPEAKER_NOT_FOUND');
      const own = member?.id === sp.member_id;
      if (!meetingsPolicy.presides(member?.role, runs) && !(move === 'withdraw' && own))
        throw new AppError('FORBIDDEN');
      const from = move === 'stop' ? 'speaking' : 'waiting';
      if (sp.status !== from) throw new AppError('SPEAKER_STATE');
      const at = now();
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        if ((await r.meeting(sp.meeting_id, true))?.status !== 'open') throw new AppError('MEETING_STATE');
        const current = await r.speaker(speakerId);
        if (current?.status !== from) throw new AppError('SPEAKER_STATE');
        if (move === 'start') {
          await r.stopSpeaking(sp.meeting_id, at);
          await r.setSpeaker(speakerId, { status: 'speaking', started_at: at });
        } else if (move === 'stop') await r.setSpeaker(speakerId, { status: 'done', ended_at: at });
        else await r.setSpeaker(speakerId, { status: 'withdrawn', ended_at: at });
        await recordAudit(trx, actor, {
          action: `meetings.speaker.${move === 'start' ? 'started' : move === 'stop' ? 'stopped' : 'withdrawn'}`,
          entityType: 'meeting',
          entityId: sp.meeting_id,
          summary: { speakerId, memberId: sp.member_id },
        });
      });
      return announceSpeakers(sp.meeting_id);
    },
    /** The chair's order of the waiting requests (those not named keep their order after them). */
    async reorderSpeakers(actor: AuditActor, meetingId: string, ids: string[]) {
      const { m, member, runs } = await access(actor, meetingId);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      if (m.status !== 'open') throw new AppError('MEETING_STATE');
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        await r.meeting(meetingId, true);
        const waiting = (await r.speakers(meetingId)).filter((x) => x.status === 'waiting');
        const known = new Set(waiting.map((x) => x.id));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length) throw new AppError('SPEAKER_NOT_FOUND', { ids: unknown });
        const order = [...ids, ...waiting.map((x) => x.id).filter((id) => !ids.includes(id))];
        for (const [i, id] of order.entries()) await r.setSpeaker(id, { position: i + 1 });
        await recordAudit(trx, actor, {
          action: 'meetings.speaker.reordered',
          entityType: 'meeting',
          entityId: meetingId,
          summary: { order },
        });
      });
      return announceSpeakers(meetingId);
    },

    // --- notices
    /** A notice pushed to every follower; by whoever presides or runs the body, while not closed. */
    async notify(actor: AuditActor, meetingId: string, text: string) {
      const { m, member, runs } = await access(actor, meetingId);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      if (m.status === 'closed') throw new AppError('MEETING_STATE');
      const id = uuidv7();
      const at = now();
      await db.transaction().execute(async (trx) => {
        await meetingsRepo(trx).insertNotice({
          id,
          meeting_id: meetingId,
          text,
          created_by: actor.auth?.officialId ?? null,
          created_at: at,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.notice.sent',
          entityType: 'meeting',
          entityId: meetingId,
          summary: { noticeId: id, text },
        });
      });
      const notice = { id, text, at: at.toISOString() };
      publish(meetingId, { type: 'notice', noticeId: id, text, at: notice.at });
      return notice;
    },
    async notices(actor: AuditActor, meetingId: string) {
      await access(actor, meetingId);
      return (await repo.notices(meetingId)).map((n) => ({
        id: n.id,
        text: n.text,
        at: n.created_at.toISOString(),
      }));
    },

    // --- polls
    async openPoll(
      actor: AuditActor,
      meetingId: string,
      input: {
        itemId?: string | undefined;
        title: string;
        kind: Row<'poll'>['kind'];
        options?: string[] | undefined;
        rule: string;
      },
    ) {
      const { m, day, member, runs } = await access(actor, meetingId);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      if (m.status !== 'open') throw new AppError('MEETING_STATE');
      await ruleIn(input.rule, day);
      if (input.itemId && !(await repo.item(meetingId, input.itemId)))
        throw new AppError('VALIDATION_ERROR', { itemId: 'Không có trong chương trình' });
      const q = await quorumOf(m, day);
      if (!q.reached) throw new AppError('MEETING_NO_QUORUM', q);
      const id = uuidv7();
      await db.transaction().execute(async (trx) => {
        await meetingsRepo(trx).insertPoll({
          id,
          meeting_id: meetingId,
          item_id: input.itemId ?? null,
          title: input.title,
          kind: input.kind,
          options: JSON.stringify(input.options ?? YES_NO_ABSTAIN),
          rule: input.rule,
          electorate: q.electorate,
          present: q.present,
          cast_count: null,
          outcome: null,
          opened_at: now(),
          opened_by: actor.auth?.officialId ?? null,
          closed_at: null,
        });
        await recordAudit(trx, actor, {
          action: 'meetings.poll.opened',
          entityType: 'meeting_poll',
          entityId: id,
          summary: {
            meetingId,
            title: input.title,
            kind: input.kind,
            rule: input.rule,
            electorate: q.electorate,
            present: q.present,
          },
        });
      });
      publish(meetingId, { type: 'poll.opened', pollId: id });
      return service.poll(actor, id);
    },

    async poll(actor: AuditActor, pollId: string) {
      const p = await repo.poll(pollId);
      if (!p) throw new AppError('POLL_NOT_FOUND');
      const { member } = await access(actor, p.meeting_id, 'POLL_NOT_FOUND');
      return presentPoll(p, member?.id ?? null);
    },
    async polls(actor: AuditActor, meetingId: string) {
      const { member } = await access(actor, meetingId);
      return Promise.all((await repo.polls(meetingId)).map((p) => presentPoll(p, member?.id ?? null)));
    },

    /**
     * One vote of a voting member who has checked in. Who voted goes to meeting_poll_voters (its
     * key makes a second vote fail); what they chose goes, for a secret poll, only into the box,
     * a row with a random id and the option — no voter, no time — and for an open or named poll
     * into meeting_poll_choices. The audit records that the member voted, never a secret choice.
     */
    async vote(actor: AuditActor, pollId: string, option: number) {
      const p0 = await repo.poll(pollId);
      if (!p0) throw new AppError('POLL_NOT_FOUND');
      const { member } = await access(actor, p0.meeting_id);
      if (!member?.voting) throw new AppError('POLL_NOT_ELIGIBLE');
      const att = await repo.attendanceOf(p0.meeting_id, member.id);
      if (!att?.checked_in_at) throw new AppError('POLL_NOT_ELIGIBLE');
      if (option >= p0.options.length) throw new AppError('POLL_OPTION_INVALID');
      await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        // Shared lock: votes go in together; closing waits for them (and they for it).
        const p = await r.poll(pollId, 'share');
        if (p?.status !== 'open') throw new AppError('POLL_CLOSED');
        if (!(await r.addVoter(pollId, member.id))) throw new AppError('POLL_ALREADY_VOTED');
        if (p.kind === 'secret') await r.dropBallot(randomUUID(), pollId, option);
        else await r.addChoice(pollId, member.id, option);
        await recordAudit(trx, actor, {
          action: 'meetings.poll.voted',
          entityType: 'meeting_poll',
          entityId: pollId,
          summary: p.kind === 'secret' ? { memberId: member.id } : { memberId: member.id, option },
        });
      });
      announceVotes(p0.meeting_id, pollId);
      return service.poll(actor, pollId);
    },

    /** Closes a poll: counts the ballots, empties a secret poll's box, applies the rule. */
    async closePoll(actor: AuditActor, pollId: string) {
      const p0 = await repo.poll(pollId);
      if (!p0) throw new AppError('POLL_NOT_FOUND');
      const { member, runs } = await access(actor, p0.meeting_id);
      if (!meetingsPolicy.presides(member?.role, runs)) throw new AppError('FORBIDDEN');
      const result = await db.transaction().execute(async (trx) => {
        const r = meetingsRepo(trx);
        const p = await r.poll(pollId, 'update');
        if (p?.status !== 'open') throw new AppError('POLL_CLOSED');
        const secret = p.kind === 'secret';
        const tally = await r.tally(pollId, secret);
        const counts = p.options.map((_, i) => tally.get(i) ?? 0);
        const cast = await r.voterCount(pollId);
        const total = counts.reduce((a, b) => a + b, 0);
        if (total !== cast) throw new Error(`poll ${pollId}: ${total} ballots for ${cast} voters`);
        if (secret) await r.emptyBox(pollId);
        await r.insertResults(pollId, counts);
        const rule = await ruleIn(p.rule, dayOf(p.opened_at));
        // The rule decides on the first option ("Tán thành" of a yes/no poll).
        const outcome = satisfies(rule, counts[0] ?? 0, {
          electorate: p.electorate,
          present: p.present,
          cast,
        })
          ? ('passed' as const)
          : ('failed' as const);
        await r.closePoll(pollId, { cast_count: cast, outcome, closed_at: now() });
        await recordAudit(trx, actor, {
          action: 'meetings.poll.closed',
          entityType: 'meeting_poll',
          entityId: pollId,
          summary: { counts, cast, outcome, rule: rule.code },
        });
        return { counts, outcome };
      });
      publish(p0.meeting_id, { type: 'poll.closed', pollId, ...result });
      return service.poll(actor, pollId);
    },
  };
  return service;
}
export type MeetingsService = ReturnType<typeof meetingsService>;

/** "HH:mm ngày dd/MM/yyyy" in Việt Nam time, as a giấy mời writes it. */
function vnTime(d: Date) {
  const [date, time] = vnDateTime(d, false).split(' ');
  return `${time} ngày ${date}`;
}

/** The invitation's text (giấy mời): who, when, where, the agenda. */
function invitationText(
  m: {
    title: string;
    body_name: string;
    starts_at: Date;
    ends_at: Date | null;
    place: string | null;
    online_url: string | null;
  },
  agenda: AgendaItem[],
  fullName: string,
) {
  const lines = (items: AgendaItem[], depth = 0): string[] =>
    items.flatMap((i) => [
      `${'  '.repeat(depth)}${i.number}. ${i.title}${i.rapporteur ? ` (${i.rapporteur})` : ''}`,
      ...lines(i.items, depth + 1),
    ]);
  return [
    `Kính gửi: ${fullName}`,
    '',
    `${m.body_name} trân trọng kính mời đồng chí dự: ${m.title}.`,
    `Thời gian: ${vnTime(m.starts_at)}${m.ends_at ? ` đến ${vnTime(m.ends_at)}` : ''}.`,
    ...(m.place ? [`Địa điểm: ${m.place}.`] : []),
    ...(m.online_url ? [`Họp trực tuyến: ${m.online_url}`] : []),
    ...(agenda.length ? ['', 'Nội dung:', ...lines(agenda)] : []),
    '',
    'Đề nghị đồng chí xác nhận tham dự và đọc tài liệu họp trên CongVu.',
  ].join('\n');
}

function presentRule(r: {
  code: string;
  label_vi: string;
  label_en: string;
  base: 'all' | 'present' | 'cast';
  numerator: number;
  denominator: number;
  strict: boolean;
  legal_basis: string | null;
}) {
  return {
    code: r.code,
    label: r.label_vi,
    labelEn: r.label_en,
    base: r.base,
    numerator: r.numerator,
    denominator: r.denominator,
    strict: r.strict,
    legalBasis: r.legal_basis,
  };
}

function presentBody(b: {
  id: string;
  agency_id: string;
  kind: 'council' | 'council_committee' | 'people_committee' | 'party_committee' | 'adhoc';
  name: string;
  parent_id: string | null;
  quorum_rule: string;
}) {
  return {
    id: b.id,
    agencyId: b.agency_id,
    kind: b.kind,
    name: b.name,
    parentId: b.parent_id,
    quorumRule: b.quorum_rule,
  };
}

function presentMember(m: {
  id: string;
  body_id: string;
  official_id: string | null;
  full_name: string;
  email: string | null;
  role: 'chair' | 'vice_chair' | 'delegate' | 'secretary' | 'guest';
  voting: boolean;
  term: string | null;
  valid_from: string;
  valid_to: string | null;
}) {
  return {
    id: m.id,
    bodyId: m.body_id,
    officialId: m.official_id,
    fullName: m.full_name,
    email: m.email,
    role: m.role,
    voting: m.voting,
    term: m.term,
    validFrom: m.valid_from,
    validTo: m.valid_to,
  };
}
