import type { Rule } from 'antd/es/form';
import type { z } from 'zod';

/** An antd form rule that runs the same Zod schema the server uses; empty values pass (use required). */
export function zodRule(schema: z.ZodType): Rule {
  return {
    validator: async (_rule, value) => {
      if (value === undefined || value === null || value === '') return;
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? 'Không hợp lệ');
    },
  };
}
