/**
 * Checks what a browser posted (strings: `key`, `key.province`, group rows as `key[0].child`)
 * against a form definition: typed values, or field path → message (Vietnamese, or English when
 * `ctx.lang` is 'en'; the definition's labels are Vietnamese, quoted in English messages). Fields
 * hidden by `showIf` are ignored and not returned. Pure.
 */
import type { FormDefinition, FormField, GroupField, LeafField } from './definition.ts';

/** One administrative unit as the validator needs it (admin_units rows valid on the day). */
export interface AdminUnit {
  code: string;
  name: string;
  level: 'province' | 'commune';
  parentCode: string | null;
}

export interface AddressValue {
  provinceCode: string;
  provinceName: string;
  communeCode: string;
  communeName: string;
  detail: string;
}

export type LeafValue = string | number | AddressValue;
export type FormValues = Record<string, LeafValue | Record<string, LeafValue>[]>;
export type RawValues = Record<string, string>;

export interface ValidateContext {
  units: AdminUnit[];
  /** Today as yyyy-MM-dd (for notFuture dates). */
  today?: string;
  /** The messages' language; Vietnamese by default. */
  lang?: 'vi' | 'en';
}

type Label = string;
/** The validation messages in both languages (the same keys; English quotes the Vietnamese label). */
const MESSAGES = {
  vi: {
    addressRequired: (l: Label) => `Vui lòng chọn tỉnh, thành phố của ${lower(l)}`,
    provinceUnknown: () => 'Vui lòng chọn tỉnh, thành phố trong danh sách',
    communeUnknown: () => 'Vui lòng chọn xã, phường thuộc tỉnh, thành phố đã chọn',
    detailTooLong: () => 'Số nhà, đường, thôn, xóm tối đa 300 ký tự',
    choose: (l: Label) => `Vui lòng chọn ${lower(l)}`,
    enter: (l: Label) => `Vui lòng nhập ${lower(l)}`,
    tooLong: (l: Label, n: number) => `${l} tối đa ${n} ký tự`,
    tooShort: (l: Label, n: number) => `${l} cần ít nhất ${n} ký tự`,
    pattern: (l: Label) => `${l} không đúng định dạng`,
    notNumber: (l: Label) => `${l} phải là một số`,
    notInteger: (l: Label) => `${l} phải là số nguyên`,
    belowMin: (l: Label, n: number) => `${l} không được nhỏ hơn ${n}`,
    aboveMax: (l: Label, n: number) => `${l} không được lớn hơn ${n}`,
    badDate: (l: Label) => `${l} không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/MM/yyyy)`,
    future: (l: Label) => `${l} không được sau ngày hôm nay`,
    notInList: (l: Label) => `Vui lòng chọn ${lower(l)} trong danh sách`,
    cccd: () => 'Số CCCD (định danh cá nhân) gồm đúng 12 chữ số',
    phone: () => 'Số điện thoại gồm 10 chữ số, bắt đầu bằng số 0',
    email: () => 'Thư điện tử không hợp lệ',
    rowsMin: (l: Label, n: number) => `${l}: cần ít nhất ${n} dòng`,
    rowsMax: (l: Label, n: number) => `${l}: tối đa ${n} dòng`,
  },
  en: {
    addressRequired: (l: Label) => `Please choose the province or city of “${l}”`,
    provinceUnknown: () => 'Please choose a province or city from the list',
    communeUnknown: () => 'Please choose a commune or ward of the chosen province or city',
    detailTooLong: () => 'House number, street, village: at most 300 characters',
    choose: (l: Label) => `Please choose “${l}”`,
    enter: (l: Label) => `Please fill in “${l}”`,
    tooLong: (l: Label, n: number) => `“${l}”: at most ${n} characters`,
    tooShort: (l: Label, n: number) => `“${l}”: at least ${n} characters`,
    pattern: (l: Label) => `“${l}” is not in the expected format`,
    notNumber: (l: Label) => `“${l}” must be a number`,
    notInteger: (l: Label) => `“${l}” must be a whole number`,
    belowMin: (l: Label, n: number) => `“${l}” must not be less than ${n}`,
    aboveMax: (l: Label, n: number) => `“${l}” must not be more than ${n}`,
    badDate: (l: Label) => `“${l}” is not a valid date: enter it as day/month/year (dd/MM/yyyy)`,
    future: (l: Label) => `“${l}” must not be after today`,
    notInList: (l: Label) => `Please choose “${l}” from the list`,
    cccd: () => 'The citizen ID number (CCCD) has exactly 12 digits',
    phone: () => 'The phone number has 10 digits and starts with 0',
    email: () => 'Invalid e-mail address',
    rowsMin: (l: Label, n: number) => `“${l}”: at least ${n} rows`,
    rowsMax: (l: Label, n: number) => `“${l}”: at most ${n} rows`,
  },
} as const satisfies Record<'vi' | 'en', Record<string, (l: Label, n: number) => string>>;

export type ValidationResult =
  | { ok: true; values: FormValues }
  | { ok: false; errors: Record<string, string> };

/** The address parts' names after the field's own name. */
export const ADDRESS_PARTS = ['province', 'commune', 'detail'] as const;
/** The longest value any field takes. */
export const MAX_VALUE_LENGTH = 2000;
const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export const rowName = (group: string, i: number, child: string) => `${group}[${i}].${child}`;

/** How many rows a group has in the posted values (the highest index + 1), at least `min`. */
export function groupRowCount(raw: RawValues, g: Pick<GroupField, 'key' | 'min' | 'max'>): number {
  const re = new RegExp(`^${g.key}\\[(\\d{1,2})\\]\\.`);
  let n = Number(raw[`${g.key}.__rows`] ?? 0) || 0;
  for (const k of Object.keys(raw)) {
    const m = re.exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(Math.max(n, g.min, 1), g.max);
}

/** dd/MM/yyyy → yyyy-MM-dd, or null when it is not a real day. */
export function parseViDate(s: string): string | null {
  const m = DATE.exec(s.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > last) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** yyyy-MM-dd → dd/MM/yyyy (for showing a stored date again). */
export const viDateOf = (iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

/** Whether a field is shown, given the raw values of its level (`prefix` = '' or 'group[i].'). */
export function isShown(f: Pick<FormField, 'showIf'>, raw: RawValues, prefix = ''): boolean {
  if (!f.showIf) return true;
  return (raw[`${prefix}${f.showIf.field}`] ?? '').trim() === f.showIf.equals;
}

const blank = (s: string | undefined) => !s || s.trim() === '';

function leaf(
  f: LeafField,
  name: string,
  raw: RawValues,
  ctx: ValidateContext,
  errors: Record<string, string>,
): LeafValue | undefined {
  const label = f.label_vi;
  const M = MESSAGES[ctx.lang ?? 'vi'];
  if (f.type === 'address') {
    const p = (raw[`${name}.province`] ?? '').trim();
    const c = (raw[`${name}.commune`] ?? '').trim();
    const detail = (raw[`${name}.detail`] ?? '').trim();
    if (!p && !c && !detail) {
      if (f.required) errors[`${name}.province`] = M.addressRequired(label);
      return undefined;
    }
    const province = ctx.units.find((u) => u.level === 'province' && u.code === p);
    if (!province) {
      errors[`${name}.province`] = M.provinceUnknown();
      return undefined;
    }
    const commune = ctx.units.find((u) => u.level === 'commune' && u.code === c && u.parentCode === p);
    if (!commune) {
      errors[`${name}.commune`] = M.communeUnknown();
      return undefined;
    }
    if (detail.length > 300) {
      errors[`${name}.detail`] = M.detailTooLong();
      return undefined;
    }
    return {
      provinceCode: province.code,
      provinceName: province.name,
      communeCode: commune.code,
      communeName: commune.name,
      detail,
    };
  }
  const v = (raw[name] ?? '').trim();
  if (v === '') {
    if (f.required) errors[name] = f.type === 'select' ? M.choose(label) : M.enter(label);
    return undefined;
  }
  if (v.length > MAX_VALUE_LENGTH) {
    errors[name] = M.tooLong(label, MAX_VALUE_LENGTH);
    return undefined;
  }
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.maxLength ?? (f.type === 'text' ? 300 : MAX_VALUE_LENGTH);
      if ([...v].length > max) errors[name] = M.tooLong(label, max);
      else if (f.minLength && [...v].length < f.minLength) errors[name] = M.tooShort(label, f.minLength);
      else if (f.pattern && !new RegExp(`^(?:${f.pattern})$`, 'u').test(v))
        errors[name] = (ctx.lang !== 'en' && f.patternMessage_vi) || M.pattern(label);
      else return v;
      return undefined;
    }
    case 'number': {
      const t = v.replace(/\s/g, '').replace(',', '.');
      const n = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
      if (!Number.isFinite(n)) errors[name] = M.notNumber(label);
      else if (f.integer && !Number.isInteger(n)) errors[name] = M.notInteger(label);
      else if (f.min !== undefined && n < f.min) errors[name] = M.belowMin(label, f.min);
      else if (f.max !== undefined && n > f.max) errors[name] = M.aboveMax(label, f.max);
      else return n;
      return undefined;
    }
    case 'date': {
      const d = parseViDate(v);
      if (!d) errors[name] = M.badDate(label);
      else if (f.notFuture && ctx.today && d > ctx.today) errors[name] = M.future(label);
      else return d;
      return undefined;
    }
    case 'select':
      if (!f.options.some((o) => o.value === v)) {
        errors[name] = M.notInList(label);
        return undefined;
      }
      return v;
    case 'cccd':
      if (!/^\d{12}$/.test(v)) {
        errors[name] = M.cccd();
        return undefined;
      }
      return v;
    case 'phone': {
      const p = v.replace(/[\s.-]/g, '').replace(/^\+84/, '0');
      if (!/^0\d{9}$/.test(p)) {
        errors[name] = M.phone();
        return undefined;
      }
      return p;
    }
    case 'email':
      if (v.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
        errors[name] = M.email();
        return undefined;
      }
      return v.toLowerCase();
  }
}

/** The label inside a sentence ("Vui lòng nhập họ và tên"), keeping proper acronyms (CCCD). */
function lower(label: string) {
  const [first = '', second = ''] = label;
  return second && second === second.toUpperCase() && /\p{L}/u.test(second)
    ? label
    : first.toLowerCase() + label.slice(1);
}

function rowIsBlank(g: GroupField, raw: RawValues, i: number) {
  return g.fields.every((c) =>
    c.type === 'address'
      ? ['province', 'commune', 'detail'].every((p) => blank(raw[`${rowName(g.key, i, c.key)}.${p}`]))
      : blank(raw[rowName(g.key, i, c.key)]),
  );
}

export function validateForm(def: FormDefinition, raw: RawValues, ctx: ValidateContext): ValidationResult {
  const errors: Record<string, string> = {};
  const values: FormValues = {};
  for (const f of def.fields) {
    if (!isShown(f, raw)) continue;
    if (f.type === 'group') {
      const rows: Record<string, LeafValue>[] = [];
      const n = groupRowCount(raw, f);
      for (let i = 0; i < n; i++) {
        if (rowIsBlank(f, raw, i)) continue;
        const row: Record<string, LeafValue> = {};
        for (const c of f.fields) {
          if (!isShown(c, raw, `${f.key}[${i}].`)) continue;
          const v = leaf(c, rowName(f.key, i, c.key), raw, ctx, errors);
          if (v !== undefined) row[c.key] = v;
        }
        rows.push(row);
      }
      const min = Math.max(f.min, f.required ? 1 : 0);
      const M = MESSAGES[ctx.lang ?? 'vi'];
      if (rows.length < min) errors[rowName(f.key, 0, f.fields[0]?.key ?? '')] = M.rowsMin(f.label_vi, min);
      else if (rows.length > f.max) errors[f.key] = M.rowsMax(f.label_vi, f.max);
      if (rows.length) values[f.key] = rows;
      continue;
    }
    const v = leaf(f, f.key, raw, ctx, errors);
    if (v !== undefined) values[f.key] = v;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, values };
}

/** Only the posted names the definition knows (a draft never stores anything else). */
export function knownRaw(def: FormDefinition, raw: Record<string, unknown>): RawValues {
  const out: RawValues = {};
  const take = (f: LeafField, name: string) => {
    const names = f.type === 'address' ? ADDRESS_PARTS.map((p) => `${name}.${p}`) : [name];
    for (const n of names) {
      const v = raw[n];
      if (typeof v === 'string' && v !== '') out[n] = v.slice(0, MAX_VALUE_LENGTH);
    }
  };
  for (const f of def.fields) {
    if (f.type !== 'group') {
      take(f, f.key);
      continue;
    }
    const n = groupRowCount(raw as RawValues, f);
    out[`${f.key}.__rows`] = String(n);
    for (let i = 0; i < n; i++) for (const c of f.fields) take(c, rowName(f.key, i, c.key));
  }
  return out;
}
