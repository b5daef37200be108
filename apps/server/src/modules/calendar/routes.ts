import { CreateHolidayNotice, DayOff, HolidayNotice, IsoDate, List, Uuid } from '@congvu/contracts';
import { z } from 'zod';
import { type Api, actor } from '../../platform/http.ts';
import { calendarPolicy } from './policy.ts';
import type { CalendarService } from './service.ts';

const tags = ['calendar'];
const Year = z.coerce.number().int().min(1900).max(2199);

export function calendarRoutes(app: Api, cal: CalendarService) {
  app.get(
    '/api/calendar/holidays',
    {
      config: { access: calendarPolicy.read },
      schema: {
        tags,
        summary: 'Ngày nghỉ lễ, Tết trong năm',
        querystring: z.object({ year: Year }),
        response: { 200: List(DayOff) },
      },
    },
    async (req) => ({ items: await cal.daysOff(req.query.year) }),
  );
  app.get(
    '/api/calendar/add',
    {
      config: { access: calendarPolicy.read },
      schema: {
        tags,
        summary: 'Cộng N ngày làm việc',
        querystring: z.object({ from: IsoDate, days: z.coerce.number().int().min(0).max(3650) }),
        response: { 200: z.object({ date: IsoDate }) },
      },
    },
    async (req) => ({ date: await cal.addWorkingDays(req.query.from, req.query.days) }),
  );
  app.get(
    '/api/calendar/notices',
    {
      config: { access: calendarPolicy.read },
      schema: {
        tags,
        summary: 'Thông báo nghỉ lễ, làm bù',
        querystring: z.object({ year: Year.optional() }),
        response: { 200: List(HolidayNotice) },
      },
    },
    async (req) => ({ items: await cal.listNotices(req.query.year) }),
  );
  app.post(
    '/api/calendar/notices',
    {
      config: { access: calendarPolicy.manage },
      schema: {
        tags,
        summary: 'Thêm thông báo nghỉ hoặc làm bù',
        body: CreateHolidayNotice,
        response: { 201: HolidayNotice },
      },
    },
    async (req, reply) => reply.status(201).send(await cal.createNotice(actor(req), req.body)),
  );
  app.delete(
    '/api/calendar/notices/:id',
    {
      config: { access: calendarPolicy.manage },
      schema: { tags, summary: 'Xóa thông báo', params: z.object({ id: Uuid }) },
    },
    async (req, reply) => {
      await cal.deleteNotice(actor(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
