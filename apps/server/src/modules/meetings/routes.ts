import {
  AddMember,
  Body,
  CastVote,
  CheckIn,
  CreateBody,
  CreateMeeting,
  List,
  MEETING_KINDS,
  MEETING_STATUSES,
  Meeting,
  MeetingAttendance,
  MeetingRule,
  Member,
  OpenPoll,
  Poll,
  ReorderSpeakers,
  RequestToSpeak,
  RespondToInvitation,
  Speaker,
} from '@congvu/contracts';
import { z } from 'zod';
import { sendBlob } from '../../platform/files/routes.ts';
import { type Api, type AppContext, actor } from '../../platform/http.ts';
import { vnDateTime } from '../../platform/vntime.ts';
import { meetingsPolicy } from './policy.ts';
import type { MeetingsService } from './service.ts';

const tags = ['meetings'];
const IdParams = z.object({ id: z.uuid() });
const PollParams = z.object({ pollId: z.uuid() });
const MeetingSummary = z.object({
  id: z.uuid(),
  bodyId: z.uuid(),
  bodyName: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  place: z.string().nullable(),
  startsAt: z.string(),
  status: z.enum(MEETING_STATUSES),
});

/**
 * Routes of the meetings module; thin: the service decides per body and meeting (whoever runs the
 * body, its presiding members, the delegates themselves). Routes a delegate uses need a session
 * only; a meeting the caller may not see answers 404.
 */
export function meetingsRoutes(app: Api, meetings: MeetingsService, ctx: AppContext) {
  const session = { access: 'session' as const };
  const manage = { access: meetingsPolicy.manage };

  app.get(
    '/api/meetings/rules',
    {
      config: session,
      schema: {
        tags,
        summary: 'Quy tắc biểu quyết, túc số đang có hiệu lực',
        response: { 200: List(MeetingRule) },
      },
    },
    async () => ({ items: await meetings.rules() }),
  );
  app.get(
    '/api/meetings/bodies',
    {
      config: manage,
      schema: { tags, summary: 'Cơ quan, tổ chức họp do mình phụ trách', response: { 200: List(Body) } },
    },
    async (req) => ({ items: await meetings.bodies(actor(req)) }),
  );
  app.post(
    '/api/meetings/bodies',
    {
      config: manage,
      schema: { tags, summary: 'Tạo cơ quan, tổ chức họp', body: CreateBody, response: { 201: Body } },
    },
    async (req, reply) => reply.status(201).send(await meetings.createBody(actor(req), req.body)),
  );
  app.get(
    '/api/meetings/bodies/:id/members',
    {
      config: manage,
      schema: { tags, summary: 'Thành viên, đại biểu', params: IdParams, response: { 200: List(Member) } },
    },
    async (req) => ({ items: await meetings.members(actor(req), req.params.id) }),
  );
  app.post(
    '/api/meetings/bodies/:id/members',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Thêm thành viên, đại biểu',
        params: IdParams,
        body: AddMember,
        response: { 201: Member },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await meetings.addMember(actor(req), req.params.id, req.body)),
  );

  app.get(
    '/api/meetings',
    {
      config: session,
      schema: { tags, summary: 'Các cuộc họp của tôi', response: { 200: List(MeetingSummary) } },
    },
    async (req) => ({ items: await meetings.meetings(actor(req)) }),
  );
  app.post(
    '/api/meetings',
    {
      config: manage,
      schema: { tags, summary: 'Tạo cuộc họp, kỳ họp', body: CreateMeeting, response: { 201: Meeting } },
    },
    async (req, reply) => reply.status(201).send(await meetings.createMeeting(actor(req), req.body)),
  );
  app.get(
    '/api/meetings/:id',
    {
      config: session,
      schema: { tags, summary: 'Cuộc họp và chương trình', params: IdParams, response: { 200: Meeting } },
    },
    async (req) => meetings.meeting(actor(req), req.params.id),
  );
  app.post(
    '/api/meetings/:id/invite',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Gửi giấy mời họp',
        params: IdParams,
        response: { 200: z.object({ invited: z.number().int() }) },
      },
    },
    async (req) => meetings.invite(actor(req), req.params.id),
  );
  app.post(
    '/api/meetings/:id/response',
    {
      config: session,
      schema: {
        tags,
        summary: 'Xác nhận tham dự, vắng mặt (nêu lý do) hoặc cử người đi thay',
        params: IdParams,
        body: RespondToInvitation,
        response: { 200: MeetingAttendance },
      },
    },
    async (req) => meetings.respond(actor(req), req.params.id, req.body),
  );
  app.post(
    '/api/meetings/:id/check-in',
    {
      config: session,
      schema: {
        tags,
        summary: 'Điểm danh',
        params: IdParams,
        body: CheckIn,
        response: { 200: MeetingAttendance },
      },
    },
    async (req) => meetings.checkIn(actor(req), req.params.id, req.body.memberId),
  );
  app.get(
    '/api/meetings/:id/attendance',
    {
      config: session,
      schema: {
        tags,
        summary: 'Điểm danh và túc số',
        params: IdParams,
        response: { 200: MeetingAttendance },
      },
    },
    async (req) => meetings.attendance(actor(req), req.params.id),
  );
  for (const [to, summary] of [
    ['open', 'Khai mạc cuộc họp'],
    ['close', 'Bế mạc cuộc họp'],
  ] as const)
    app.post(
      `/api/meetings/:id/${to}`,
      { config: session, schema: { tags, summary, params: IdParams, response: { 200: Meeting } } },
      async (req) => meetings.setStatus(actor(req), req.params.id, to === 'open' ? 'open' : 'closed'),
    );

  app.post(
    '/api/meetings/:id/current-item',
    {
      config: session,
      schema: {
        tags,
        summary: 'Chuyển sang nội dung (mục chương trình) đang thảo luận',
        params: IdParams,
        body: z.object({ itemId: z.uuid() }),
        response: { 200: Meeting },
      },
    },
    async (req) => meetings.setCurrentItem(actor(req), req.params.id, req.body.itemId),
  );
  const DocParams = z.object({ documentId: z.uuid() });
  const MeetingDocument = z.object({
    id: z.uuid(),
    itemId: z.uuid().nullable(),
    kind: z.enum(['main', 'appendix', 'draft_resolution', 'other']),
    title: z.string(),
    version: z.number().int(),
    filename: z.string(),
    size: z.number().int(),
    mime: z.string(),
    addedAt: z.string(),
    deliveredAt: z.string().nullable(),
    openedAt: z.string().nullable(),
    isNew: z.boolean(),
  });
  const FileRef = {
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    filename: z.string().trim().min(1).max(255),
  };
  const Added = z.object({ id: z.uuid(), version: z.number().int() });
  app.get(
    '/api/meetings/:id/documents',
    {
      config: session,
      schema: {
        tags,
        summary: 'Tài liệu họp (ghi nhận đã gửi đến đại biểu)',
        params: IdParams,
        response: { 200: List(MeetingDocument) },
      },
    },
    async (req) => ({ items: await meetings.documents(actor(req), req.params.id) }),
  );
  app.post(
    '/api/meetings/:id/documents',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Thêm tài liệu họp (tệp đã tải lên qua /api/files)',
        params: IdParams,
        body: z.object({
          itemId: z.uuid().optional(),
          kind: z.enum(['main', 'appendix', 'draft_resolution', 'other']),
          title: z.string().trim().min(1).max(500),
          ...FileRef,
        }),
        response: { 201: Added },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await meetings.addDocument(actor(req), req.params.id, req.body)),
  );
  app.post(
    '/api/meetings/documents/:documentId/versions',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Thay tài liệu bằng phiên bản mới',
        params: DocParams,
        body: z.object(FileRef),
        response: { 201: Added },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await meetings.addVersion(actor(req), req.params.documentId, req.body)),
  );
  app.get(
    '/api/meetings/documents/:documentId/file',
    {
      config: session,
      schema: {
        tags,
        summary: 'Mở tài liệu (ghi nhận lần mở đầu tiên của đại biểu)',
        params: DocParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
    },
    async (req, reply) => {
      const f = await meetings.openDocument(actor(req), req.params.documentId, req.query.version);
      return sendBlob(ctx, reply, f, f.filename);
    },
  );
  const Delivery = z.object({
    documentId: z.uuid(),
    title: z.string(),
    version: z.number().int(),
    memberId: z.uuid(),
    fullName: z.string(),
    deliveredAt: z.string(),
    openedAt: z.string().nullable(),
  });
  app.get(
    '/api/meetings/:id/deliveries',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Bằng chứng gửi, nhận tài liệu họp (JSON hoặc CSV)',
        params: IdParams,
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
      },
    },
    async (req, reply) => {
      const items = await meetings.deliveries(actor(req), req.params.id);
      if (req.query.format === 'json') return { items: items.map((r) => Delivery.parse(r)) };
      const vn = (t: string | null) => (t ? vnDateTime(new Date(t)) : '');
      const cell = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
      const lines = [
        ['Đại biểu', 'Tài liệu', 'Phiên bản', 'Đã gửi đến', 'Mở lần đầu'].map(cell).join(','),
        ...items.map((r) =>
          [r.fullName, r.title, r.version, vn(r.deliveredAt), vn(r.openedAt)].map(cell).join(','),
        ),
      ];
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="gui-nhan-tai-lieu-${req.params.id}.csv"`)
        .send(`\uFEFF${lines.join('\r\n')}\r\n`);
    },
  );
  const SpeakerParams = z.object({ speakerId: z.uuid() });
  app.get(
    '/api/meetings/:id/speakers',
    {
      config: session,
      schema: { tags, summary: 'Danh sách phát biểu', params: IdParams, response: { 200: List(Speaker) } },
    },
    async (req) => ({ items: await meetings.speakers(actor(req), req.params.id) }),
  );
  app.post(
    '/api/meetings/:id/speakers',
    {
      config: session,
      schema: {
        tags,
        summary: 'Đăng ký phát biểu (hoặc phát biểu về thủ tục, được ưu tiên)',
        params: IdParams,
        body: RequestToSpeak,
        response: { 201: List(Speaker) },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ items: await meetings.requestToSpeak(actor(req), req.params.id, req.body) }),
  );
  app.post(
    '/api/meetings/:id/speakers/order',
    {
      config: session,
      schema: {
        tags,
        summary: 'Sắp xếp thứ tự phát biểu',
        params: IdParams,
        body: ReorderSpeakers,
        response: { 200: List(Speaker) },
      },
    },
    async (req) => ({ items: await meetings.reorderSpeakers(actor(req), req.params.id, req.body.ids) }),
  );
  for (const [move, summary] of [
    ['start', 'Mời phát biểu (bắt đầu tính giờ)'],
    ['stop', 'Kết thúc lượt phát biểu'],
    ['withdraw', 'Rút đăng ký phát biểu'],
  ] as const)
    app.post(
      `/api/meetings/speakers/:speakerId/${move}`,
      { config: session, schema: { tags, summary, params: SpeakerParams, response: { 200: List(Speaker) } } },
      async (req) => ({ items: await meetings.moveSpeaker(actor(req), req.params.speakerId, move) }),
    );
  const Notice = z.object({ id: z.uuid(), text: z.string(), at: z.string() });
  app.get(
    '/api/meetings/:id/notices',
    {
      config: session,
      schema: { tags, summary: 'Thông báo tại cuộc họp', params: IdParams, response: { 200: List(Notice) } },
    },
    async (req) => ({ items: await meetings.notices(actor(req), req.params.id) }),
  );
  app.post(
    '/api/meetings/:id/notices',
    {
      config: session,
      schema: {
        tags,
        summary: 'Gửi thông báo đến mọi đại biểu đang theo dõi cuộc họp',
        params: IdParams,
        body: z.object({ text: z.string().trim().min(1).max(2000) }),
        response: { 201: Notice },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await meetings.notify(actor(req), req.params.id, req.body.text)),
  );
  app.get(
    '/api/meetings/:id/polls',
    {
      config: session,
      schema: { tags, summary: 'Các lần biểu quyết', params: IdParams, response: { 200: List(Poll) } },
    },
    async (req) => ({ items: await meetings.polls(actor(req), req.params.id) }),
  );
  app.post(
    '/api/meetings/:id/polls',
    {
      config: session,
      schema: { tags, summary: 'Mở biểu quyết', params: IdParams, body: OpenPoll, response: { 201: Poll } },
    },
    async (req, reply) =>
      reply.status(201).send(await meetings.openPoll(actor(req), req.params.id, req.body)),
  );
  app.get(
    '/api/meetings/polls/:pollId',
    { config: session, schema: { tags, summary: 'Biểu quyết', params: PollParams, response: { 200: Poll } } },
    async (req) => meetings.poll(actor(req), req.params.pollId),
  );
  app.post(
    '/api/meetings/polls/:pollId/vote',
    {
      config: session,
      schema: {
        tags,
        summary: 'Bỏ phiếu biểu quyết',
        params: PollParams,
        body: CastVote,
        response: { 200: Poll },
      },
    },
    async (req) => meetings.vote(actor(req), req.params.pollId, req.body.option),
  );
  app.post(
    '/api/meetings/polls/:pollId/close',
    {
      config: session,
      schema: {
        tags,
        summary: 'Kết thúc biểu quyết, công bố kết quả',
        params: PollParams,
        response: { 200: Poll },
      },
    },
    async (req) => meetings.closePoll(actor(req), req.params.pollId),
  );
}
