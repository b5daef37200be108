import { NotificationCount, NotificationPage, NotificationQuery } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, authOf } from '../../platform/http.ts';
import { notificationsPolicy } from './policy.ts';
import type { NotificationsService } from './service.ts';

const tags = ['notifications'];

/** The signed-in official's own notifications (the bell in the web app). */
export function notificationsRoutes(app: Api, notifications: NotificationsService) {
  const config = { access: notificationsPolicy.access };
  app.get(
    '/api/notifications',
    {
      config,
      schema: {
        tags,
        summary: 'Thông báo của tôi, mới nhất trước (lọc chưa đọc / đã đọc)',
        querystring: NotificationQuery,
        response: { 200: NotificationPage },
      },
    },
    async (req) => notifications.list(authOf(req), req.query),
  );
  app.get(
    '/api/notifications/count',
    {
      config,
      schema: { tags, summary: 'Số thông báo chưa đọc', response: { 200: NotificationCount } },
    },
    async (req) => notifications.count(authOf(req)),
  );
  app.post(
    '/api/notifications/:id/read',
    {
      config,
      schema: {
        tags,
        summary: 'Đánh dấu một thông báo đã đọc',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (req, reply) => {
      await notifications.markRead(authOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/notifications/read-all',
    {
      config,
      schema: {
        tags,
        summary: 'Đánh dấu tất cả thông báo đã đọc',
        response: { 200: z.object({ updated: z.number().int() }) },
      },
    },
    async (req) => notifications.markAllRead(authOf(req)),
  );
}
