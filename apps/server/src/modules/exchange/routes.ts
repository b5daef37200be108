import {
  ExchangeAgency,
  ExchangeHealth,
  ExchangeInboundItem,
  ExchangeInboundOutcome,
  ExchangeOutboundItem,
  ExchangeRecallAnswer,
  ExchangeTimeline,
  ExchangeUpdateAnswer,
  List,
  Uuid,
} from '@congvu/contracts';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { type Api, actor, authOf } from '../../platform/http.ts';
import type { DocumentsService } from '../documents/service.ts';
import { exchangePolicy } from './policy.ts';
import type { ExchangeService } from './service.ts';

const tags = ['exchange'];

export function exchangeRoutes(
  app: Api,
  exchange: ExchangeService,
  documents: DocumentsService,
  connected: boolean,
) {
  app.get(
    '/api/documents/:id/exchange',
    {
      config: { access: 'session' },
      schema: {
        tags,
        summary: 'Liên thông: trạng thái gửi, nhận, xử lý theo từng cơ quan nhận',
        params: z.object({ id: Uuid }),
        response: { 200: ExchangeTimeline },
      },
    },
    async (req) => {
      // Whoever may read the document may follow it (documents.get refuses the others).
      await documents.get(authOf(req), req.params.id);
      return exchange.timeline(req.params.id);
    },
  );
  app.post(
    '/api/documents/:id/exchange/recall-answer',
    {
      config: { access: 'documents.register' },
      schema: {
        tags,
        summary: 'Trả lời đề nghị thu hồi của cơ quan ban hành (15 đồng ý / 16 từ chối)',
        params: z.object({ id: Uuid }),
        body: ExchangeRecallAnswer,
        response: { 200: z.object({ statusCode: z.string() }) },
      },
    },
    async (req) =>
      exchange.answerRecall(
        { ...actor(req), auth: authOf(req) },
        req.params.id,
        req.body.accept,
        req.body.reason,
      ),
  );
  app.post(
    '/api/documents/:id/exchange/update-answer',
    {
      config: { access: 'documents.register' },
      schema: {
        tags,
        summary: 'Trả lời đề nghị cập nhật văn bản của cơ quan ban hành (15 đồng ý / 16 từ chối)',
        params: z.object({ id: Uuid }),
        body: ExchangeUpdateAnswer,
        response: { 200: z.object({ statusCode: z.string() }) },
      },
    },
    async (req) =>
      exchange.answerUpdate(
        { ...actor(req), auth: authOf(req) },
        req.params.id,
        req.body.accept,
        req.body.reason,
      ),
  );
  app.get(
    '/api/exchange/directory',
    {
      config: { access: 'session' },
      schema: {
        tags,
        summary: 'Cơ quan ngoài hệ thống nhận văn bản qua trục liên thông',
        response: { 200: List(ExchangeAgency) },
      },
    },
    async () => ({ items: await exchange.directory() }),
  );
  app.get(
    '/api/exchange/outbound',
    {
      config: { access: exchangePolicy.manage },
      schema: {
        tags,
        summary: 'Gói tin gửi đi: đang chờ (cũ nhất trước) hoặc đã gửi (mới nhất trước)',
        querystring: z.object({
          state: z.enum(['queued', 'sent']).default('queued'),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: List(ExchangeOutboundItem) },
      },
    },
    async (req) => ({ items: await exchange.listOutbound(req.query.state, req.query.limit) }),
  );
  app.post(
    '/api/exchange/outbound/:id/retry',
    {
      config: { access: exchangePolicy.manage },
      schema: {
        tags,
        summary: 'Gửi lại ngay một gói tin đang chờ',
        params: z.object({ id: Uuid }),
        response: { 200: z.object({ id: z.string(), queued: z.boolean() }) },
      },
    },
    async (req) => exchange.retry(actor(req), req.params.id),
  );
  app.get(
    '/api/exchange/inbound',
    {
      config: { access: exchangePolicy.manage },
      schema: {
        tags,
        summary: 'Gói tin đã nhận từ trục liên thông (mới nhất trước)',
        querystring: z.object({
          outcome: ExchangeInboundOutcome.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: List(ExchangeInboundItem) },
      },
    },
    async (req) => ({ items: await exchange.listInbound(req.query.outcome, req.query.limit) }),
  );
  app.post(
    '/api/exchange/directory/sync',
    {
      config: { access: exchangePolicy.manage },
      schema: {
        tags,
        summary: 'Cập nhật danh sách cơ quan từ trục liên thông',
        response: { 200: z.object({ agencies: z.number().int() }) },
      },
    },
    async () => {
      if (!connected) throw new AppError('EXCHANGE_NOT_CONNECTED');
      return { agencies: await exchange.syncDirectory() };
    },
  );
  app.get(
    '/api/exchange/health',
    {
      config: { access: exchangePolicy.manage },
      schema: { tags, summary: 'Tình trạng kết nối trục liên thông', response: { 200: ExchangeHealth } },
    },
    async () => {
      const h = await exchange.health();
      return {
        connected,
        queued: Number(h.queued),
        failed: Number(h.failed),
        sent: Number(h.sent),
        inbound: Number(h.inbound),
        rejected: Number(h.rejected),
      };
    },
  );
}
