/**
 * Checks what a browser posted (strings: `key`, `key.province`, group rows as `key[0].child`)
 * against a form definition: typed values, or field path → Vietnamese message. Fields hidden by
 * `showIf` are ignored and not returned. Pure.
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
}

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
  if (f.type === 'address') {
    const p = (raw[`${name}.province`] ?? '').trim();
    const c = (raw[`${name}.commune`] ?? '').trim();
    const detail = (raw[`${name}.detail`] ?? '').trim();
    if (!p && !c && !detail) {
      if (f.required) errors[`${name}.province`] = `Vui lòng chọn tỉnh, thành phố của ${lower(label)}`;
      return undefined;
    }
    const province = ctx.units.find((u) => u.level === 'province' && u.code === p);
    if (!province) {
      errors[`${name}.province`] = 'Vui lòng chọn tỉnh, thành phố trong danh sách';
      return undefined;
    }
    const commune = ctx.units.find((u) => u.level === 'commune' && u.code === c && u.parentCode === p);
    if (!commune) {
      errors[`${name}.commune`] = 'Vui lòng chọn xã, phường thuộc tỉnh, thành phố đã chọn';
      return undefined;
    }
    if (detail.length > 300) {
      errors[`${name}.detail`] = 'Số nhà, đường, thôn, xóm tối đa 300 ký tự';
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
    if (f.required)
      errors[name] = f.type === 'select' ? `Vui lòng chọn ${lower(label)}` : `Vui lòng nhập ${lower(label)}`;
    return undefined;
  }
  if (v.length > MAX_VALUE_LENGTH) {
    errors[name] = `${label} tối đa ${MAX_VALUE_LENGTH} ký tự`;
    return undefined;
  }
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = f.maxLength ?? (f.type === 'text' ? 300 : MAX_VALUE_LENGTH);
      if ([...v].length > max) errors[name] = `${label} tối đa ${max} ký tự`;
      else if (f.minLength && [...v].length < f.minLength)
        errors[name] = `${label} cần ít nhất ${f.minLength} ký tự`;
      else if (f.pattern && !new RegExp(`^(?:${f.pattern})$`, 'u').test(v))
        errors[name] = f.patternMessage_vi ?? `${label} không đúng định dạng`;
      else return v;
      return undefined;
    }
    case 'number': {
      const t = v.replace(/\s/g, '').replace(',', '.');
      const n = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
      if (!Number.isFinite(n)) errors[name] = `${label} phải là một số`;
      else if (f.integer && !Number.isInteger(n)) errors[name] = `${label} phải là số nguyên`;
      else if (f.min !== undefined && n < f.min) errors[name] = `${label} không được nhỏ hơn ${f.min}`;
      else if (f.max !== undefined && n > f.max) errors[name] = `${label} không được lớn hơn ${f.max}`;
      else return n;
      return undefined;
    }
    case 'date': {
      const d = parseViDate(v);
      if (!d) errors[name] = `${label} không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/MM/yyyy)`;
      else if (f.notFuture && ctx.today && d > ctx.today)
        errors[name] = `${label} không được sau ngày hôm nay`;
      else return d;
      return undefined;
    }
    case 'select':
      if (!f.options.some((o) => o.value === v)) {
        errors[name] = `Vui lòng chọn ${lower(label)} trong danh sách`;
        return undefined;
      }
      return v;
    case 'cccd':
      if (!/^\d{12}$/.test(v)) {
        errors[name] = 'Số CCCD (định danh cá nhân) gồm đúng 12 chữ số';
        return undefined;
      }
      return v;
    case 'phone': {
      const p = v.replace(/[\s.-]/g, '').replace(/^\+84/, '0');
      if (!/^0\d{9}$/.test(p)) {
        errors[name] = 'Số điện thoại gồm 10 chữ số, bắt đầu bằng số 0';
        return undefined;
      }
      return p;
    }
    case 'email':
      if (v.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
        errors[name] = 'Thư điện tử không hợp lệ';
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
      if (rows.length < min)
        errors[rowName(f.key, 0, f.fields[0]?.key ?? '')] = `${f.label_vi}: cần ít nhất ${min} dòng`;
      else if (rows.length > f.max) errors[f.key] = `${f.label_vi}: tối đa ${f.max} dòng`;
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
