/**
 * An online form as data ("law as data"): stored with the procedure version's case
 * (procedure_cases.online_form), rendered by the portal, checked by validate.ts. Pure: no I/O.
 */
import { z } from 'zod';

const Key = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'key: letters, digits, _ (max 40)');
const Label = z.string().trim().min(1).max(300);

/** Show the field only when another field (top level, or a sibling in a group row) equals a value. */
export const ShowIf = z.object({ field: Key, equals: z.string().max(200) });

const base = {
  key: Key,
  label_vi: Label,
  hint_vi: z.string().trim().max(500).optional(),
  required: z.boolean().default(false),
  showIf: ShowIf.optional(),
};

const TextField = z.object({
  ...base,
  type: z.enum(['text', 'textarea']),
  maxLength: z.number().int().min(1).max(2000).optional(),
  minLength: z.number().int().min(0).max(2000).optional(),
  pattern: z
    .string()
    .max(300)
    .refine((p) => {
      try {
        new RegExp(p, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'pattern: not a valid regular expression')
    .optional(),
  patternMessage_vi: z.string().trim().max(300).optional(),
});
const NumberField = z.object({
  ...base,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
});
const DateField = z.object({
  ...base,
  type: z.literal('date'),
  /** The date may not be after the day given to the validator (e.g. a date of birth). */
  notFuture: z.boolean().default(false),
});
const SelectField = z.object({
  ...base,
  type: z.literal('select'),
  options: z
    .array(z.object({ value: z.string().trim().min(1).max(100), label_vi: Label }))
    .min(1)
    .max(200),
});
/** Province + commune/ward (two-level administration since 07/2025) from admin_units, + street detail. */
const AddressField = z.object({ ...base, type: z.literal('address') });
const SimpleField = z.object({ ...base, type: z.enum(['cccd', 'phone', 'email']) });

const LeafField = z.discriminatedUnion('type', [
  TextField,
  NumberField,
  DateField,
  SelectField,
  AddressField,
  SimpleField,
]);
export type LeafField = z.infer<typeof LeafField>;

/** A repeatable group of rows; children are leaf fields (no nested groups). */
const GroupField = z.object({
  ...base,
  type: z.literal('group'),
  min: z.number().int().min(0).max(50).default(0),
  max: z.number().int().min(1).max(50).default(10),
  fields: z.array(LeafField).min(1).max(30),
});
export type GroupField = z.infer<typeof GroupField>;

export const FormField = z.discriminatedUnion('type', [
  TextField,
  NumberField,
  DateField,
  SelectField,
  AddressField,
  SimpleField,
  GroupField,
]);
export type FormField = z.infer<typeof FormField>;
export type FieldType = FormField['type'];

function checkLevel(
  fields: { key: string; showIf?: { field: string } | undefined }[],
  ctx: z.RefinementCtx,
  at: (string | number)[],
) {
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (seen.has(f.key))
      ctx.addIssue({ code: 'custom', path: [...at, i, 'key'], message: `duplicate key ${f.key}` });
    if (f.showIf && !seen.has(f.showIf.field))
      ctx.addIssue({
        code: 'custom',
        path: [...at, i, 'showIf', 'field'],
        message: `showIf must name an earlier field of the same level: ${f.showIf.field}`,
      });
    seen.add(f.key);
  }
}

export const FormDefinition = z
  .object({
    version: z.literal(1).default(1),
    title_vi: z.string().trim().max(300).optional(),
    fields: z.array(FormField).min(1).max(100),
  })
  .superRefine((d, ctx) => {
    checkLevel(d.fields, ctx, ['fields']);
    for (const [i, f] of d.fields.entries()) {
      if (f.type === 'group') {
        checkLevel(f.fields, ctx, ['fields', i, 'fields']);
        if (f.min > f.max) ctx.addIssue({ code: 'custom', path: ['fields', i, 'min'], message: 'min > max' });
      }
      if (f.type === 'number' && f.min !== undefined && f.max !== undefined && f.min > f.max)
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'min'], message: 'min > max' });
    }
  });
export type FormDefinition = z.infer<typeof FormDefinition>;
export type FormDefinitionInput = z.input<typeof FormDefinition>;
