import { ExchangeAgency, ExchangeHealth, ExchangeTimeline, List, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, authOf } from '../../platform/http.ts';
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
