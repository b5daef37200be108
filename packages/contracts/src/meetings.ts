/**
 * Paperless meetings (issue 8): bodies and members, meetings with their agenda, attendance and
 * polls. Primitives are declared here rather than imported from index.ts, which re-exports this file.
 */
import { z } from 'zod';

const Id = z.uuid();
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày có dạng YYYY-MM-DD');
const Instant = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().trim().min(1).max(max);

export const BODY_KINDS = [
  'council',
  'council_committee',
  'people_committee',
  'party_committee',
  'adhoc',
] as const;
export const MEMBER_ROLES = ['chair', 'vice_chair', 'delegate', 'secretary', 'guest'] as const;
export const MEETING_KINDS = ['session', 'meeting'] as const;
export const MEETING_STATUSES = ['draft', 'invited', 'open', 'closed'] as const;
export const ATTENDANCE_RESPONSES = ['attend', 'absent', 'delegated'] as const;
export const POLL_KINDS = ['open', 'named', 'secret'] as const;
/** The options of a yes/no/abstain poll; the first is "yes" for the majority rules. */
export const YES_NO_ABSTAIN = ['Tán thành', 'Không tán thành', 'Không biểu quyết'] as const;

export const MeetingRule = z.object({
  code: z.string(),
  label: z.string(),
  labelEn: z.string(),
  base: z.enum(['all', 'present', 'cast']),
  numerator: z.number().int(),
  denominator: z.number().int(),
  strict: z.boolean(),
  legalBasis: z.string().nullable(),
});
export type MeetingRule = z.infer<typeof MeetingRule>;

export const CreateBody = z.object({
  agencyId: Id,
  kind: z.enum(BODY_KINDS),
  name: Text(300),
  parentId: Id.optional(),
  quorumRule: z.string().trim().min(1).max(60).default('majority_of_all'),
});
export const Body = z.object({
  id: Id,
  agencyId: Id,
  kind: z.enum(BODY_KINDS),
  name: z.string(),
  parentId: Id.nullable(),
  quorumRule: z.string(),
});
export type Body = z.infer<typeof Body>;

export const AddMember = z
  .object({
    officialId: Id.optional(),
    fullName: Text(200).optional(),
    email: z.email().optional(),
    role: z.enum(MEMBER_ROLES),
    voting: z.boolean().optional(),
    term: Text(100).optional(),
    validFrom: Day,
    validTo: Day.optional(),
  })
  .refine((m) => m.officialId || m.fullName, {
    message: 'Cần chọn cán bộ hoặc nhập họ tên đại biểu',
    path: ['fullName'],
  });
export const Member = z.object({
  id: Id,
  bodyId: Id,
  officialId: Id.nullable(),
  fullName: z.string(),
  email: z.string().nullable(),
  role: z.enum(MEMBER_ROLES),
  voting: z.boolean(),
  term: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export type Member = z.infer<typeof Member>;

export interface AgendaInput {
  title: string;
  rapporteur?: string | undefined;
  plannedMinutes?: number | undefined;
  items?: AgendaInput[] | undefined;
}
export const AgendaInput: z.ZodType<AgendaInput> = z.lazy(() =>
  z.object({
    title: Text(500),
    rapporteur: Text(200).optional(),
    plannedMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .optional(),
    items: z.array(AgendaInput).max(50).optional(),
  }),
);

export const CreateMeeting = z.object({
  bodyId: Id,
  kind: z.enum(MEETING_KINDS),
  title: Text(500),
  place: Text(300).optional(),
  onlineUrl: z.url({ protocol: /^https?$/ }).optional(),
  startsAt: Instant,
  endsAt: Instant.optional(),
  agenda: z.array(AgendaInput).max(100).default([]),
});

export interface AgendaItem {
  id: string;
  ordinal: number;
  /** 1, 1.2, … */
  number: string;
  title: string;
  rapporteur: string | null;
  plannedMinutes: number | null;
  status: 'pending' | 'current' | 'done';
  items: AgendaItem[];
}
export const AgendaItem: z.ZodType<AgendaItem> = z.lazy(() =>
  z.object({
    id: Id,
    ordinal: z.number().int(),
    number: z.string(),
    title: z.string(),
    rapporteur: z.string().nullable(),
    plannedMinutes: z.number().int().nullable(),
    status: z.enum(['pending', 'current', 'done']),
    items: z.array(AgendaItem),
  }),
);

export const AttendanceRow = z.object({
  memberId: Id,
  fullName: z.string(),
  role: z.enum(MEMBER_ROLES),
  voting: z.boolean(),
  response: z.enum(ATTENDANCE_RESPONSES).nullable(),
  reason: z.string().nullable(),
  delegatedTo: z.string().nullable(),
  respondedAt: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkedInBySelf: z.boolean().nullable(),
});
export const Quorum = z.object({
  rule: z.string(),
  label: z.string(),
  /** Voting members of the body on the meeting's day. */
  electorate: z.number().int(),
  /** Voting members checked in. */
  present: z.number().int(),
  /** How many must be present. */
  required: z.number().int(),
  reached: z.boolean(),
});

export const Meeting = z.object({
  id: Id,
  bodyId: Id,
  bodyName: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  place: z.string().nullable(),
  onlineUrl: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  status: z.enum(MEETING_STATUSES),
  invitedAt: z.string().nullable(),
  currentItemId: Id.nullable(),
  agenda: z.array(AgendaItem),
  /** The caller's own membership in the body, if any. */
  me: z.object({ memberId: Id, role: z.enum(MEMBER_ROLES), voting: z.boolean() }).nullable(),
});
export type Meeting = z.infer<typeof Meeting>;

export const MeetingAttendance = z.object({ items: z.array(AttendanceRow), quorum: Quorum });

export const RespondToInvitation = z
  .object({
    response: z.enum(ATTENDANCE_RESPONSES),
    reason: Text(500).optional(),
    delegatedTo: Text(200).optional(),
  })
  .refine((r) => r.response !== 'absent' || r.reason, {
    message: 'Cần nêu lý do vắng mặt',
    path: ['reason'],
  })
  .refine((r) => r.response !== 'delegated' || r.delegatedTo, {
    message: 'Cần ghi người được cử đi thay',
    path: ['delegatedTo'],
  });

export const CheckIn = z.object({ memberId: Id.optional() });

export const OpenPoll = z.object({
  itemId: Id.optional(),
  title: Text(500),
  kind: z.enum(POLL_KINDS),
  /** Omitted: yes / no / abstain. */
  options: z.array(Text(200)).min(2).max(30).optional(),
  rule: z.string().trim().min(1).max(60),
});

export const CastVote = z.object({ option: z.number().int().min(0).max(29) });

export const Poll = z.object({
  id: Id,
  meetingId: Id,
  itemId: Id.nullable(),
  title: z.string(),
  kind: z.enum(POLL_KINDS),
  options: z.array(z.string()),
  rule: MeetingRule,
  status: z.enum(['open', 'closed']),
  electorate: z.number().int(),
  present: z.number().int(),
  /** Ballots cast so far (open) or in all (closed). */
  voted: z.number().int(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  /** Closed polls: the count per option, in the order of `options`. */
  counts: z.array(z.number().int()).nullable(),
  /** Closed polls: whether the first option reached the rule. */
  outcome: z.enum(['passed', 'failed']).nullable(),
  /** Open and named polls, once closed: who chose what. Never for a secret poll. */
  choices: z.array(z.object({ memberId: Id, fullName: z.string(), option: z.number().int() })).nullable(),
  /** Whether the caller has voted. */
  iVoted: z.boolean(),
});
export type Poll = z.infer<typeof Poll>;

export const SPEAKER_KINDS = ['speech', 'point_of_order'] as const;
export const RequestToSpeak = z.object({
  kind: z.enum(SPEAKER_KINDS).default('speech'),
  itemId: Id.optional(),
});
export const Speaker = z.object({
  id: Id,
  memberId: Id,
  fullName: z.string(),
  itemId: Id.nullable(),
  kind: z.enum(SPEAKER_KINDS),
  status: z.enum(['waiting', 'speaking', 'done', 'withdrawn']),
  plannedSeconds: z.number().int(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
export type Speaker = z.infer<typeof Speaker>;
export const ReorderSpeakers = z.object({ ids: z.array(Id).min(1).max(200) });
