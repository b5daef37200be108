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
import { type Api, actor } from '../../platform/http.ts';
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
export function meetingsRoutes(app: Api, meetings: MeetingsService) {
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
