import { z } from 'zod';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày theo dạng YYYY-MM-DD');

/** Which register of NĐ 30 Phụ lục IV, for which year and range, in which format. */
export const RegisterBookQuery = z.object({
  kind: z.enum(['book', 'tracking']).default('book'),
  year: z.coerce.number().int().min(2000).max(2100),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  fromNumber: z.coerce.number().int().min(1).optional(),
  toNumber: z.coerce.number().int().min(1).optional(),
  format: z.enum(['json', 'pdf', 'xlsx']).default('json'),
});
export type RegisterBookQuery = z.infer<typeof RegisterBookQuery>;

export const RegisterBook = z.object({
  registerId: z.string(),
  kind: z.enum(['incoming', 'outgoing', 'tracking']),
  title: z.string(),
  heading: z.array(z.string()),
  year: z.number().int(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  documentIds: z.array(z.string()),
});
export type RegisterBook = z.infer<typeof RegisterBook>;
