import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AdminUnit,
  birthRegistrationForm,
  FormDefinition,
  groupRowCount,
  knownRaw,
  parseViDate,
  validateForm,
} from './index.ts';

const units: AdminUnit[] = [
  { code: '99', name: 'Tỉnh Sơn Lâm', level: 'province', parentCode: null },
  { code: '99001', name: 'Phường Hòa Bình', level: 'commune', parentCode: '99' },
  { code: '88', name: 'Tỉnh Khác', level: 'province', parentCode: null },
  { code: '88001', name: 'Xã Khác', level: 'commune', parentCode: '88' },
];
const ctx = { units, today: '2026-12-07' };
const birth = FormDefinition.parse(birthRegistrationForm);

const good = {
  childName: 'Nguyễn Văn An',
  childSex: 'nam',
  childBirthDate: '01/12/2026',
  'childBirthPlace.province': '99',
  'childBirthPlace.commune': '99001',
  'childBirthPlace.detail': 'Bệnh viện đa khoa tỉnh',
  motherName: 'Trần Thị Bình',
  motherIdNo: '001190000001',
  requesterRole: 'me',
  phone: '0912 345 678',
};

describe('FormDefinition', () => {
  it('accepts the birth registration form', () => {
    expect(birth.fields.length).toBeGreaterThan(10);
  });
  it('refuses duplicate keys, unknown types, showIf on a later field, bad patterns', () => {
    const f = (fields: unknown[]) => FormDefinition.safeParse({ fields }).success;
    expect(
      f([
        { key: 'a', type: 'text', label_vi: 'A' },
        { key: 'a', type: 'text', label_vi: 'B' },
      ]),
    ).toBe(false);
    expect(f([{ key: 'a', type: 'file', label_vi: 'A' }])).toBe(false);
    expect(
      f([
        { key: 'a', type: 'text', label_vi: 'A', showIf: { field: 'b', equals: 'x' } },
        { key: 'b', type: 'text', label_vi: 'B' },
      ]),
    ).toBe(false);
    expect(f([{ key: 'a', type: 'text', label_vi: 'A', pattern: '(' }])).toBe(false);
    expect(f([{ key: 'a b', type: 'text', label_vi: 'A' }])).toBe(false);
    expect(
      f([
        {
          key: 'g',
          type: 'group',
          label_vi: 'G',
          fields: [{ key: 'h', type: 'group', label_vi: 'H', fields: [] }],
        },
      ]),
    ).toBe(false);
    expect(f([{ key: 's', type: 'select', label_vi: 'S', options: [] }])).toBe(false);
    expect(f([{ key: 'n', type: 'number', label_vi: 'N', min: 5, max: 1 }])).toBe(false);
  });
});

describe('validateForm', () => {
  it('gives typed values for a good form', () => {
    const r = validateForm(birth, good, ctx);
    expect(r).toEqual({
      ok: true,
      values: {
        childName: 'Nguyễn Văn An',
        childSex: 'nam',
        childBirthDate: '2026-12-01',
        childBirthPlace: {
          provinceCode: '99',
          provinceName: 'Tỉnh Sơn Lâm',
          communeCode: '99001',
          communeName: 'Phường Hòa Bình',
          detail: 'Bệnh viện đa khoa tỉnh',
        },
        motherName: 'Trần Thị Bình',
        motherIdNo: '001190000001',
        requesterRole: 'me',
        phone: '0912345678',
      },
    });
  });

  it('says what is missing, in Vietnamese, per field path', () => {
    const r = validateForm(birth, {}, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.childName).toBe('Vui lòng nhập họ, chữ đệm và tên của trẻ');
    expect(r.errors.childSex).toBe('Vui lòng chọn giới tính của trẻ');
    expect(r.errors.motherIdNo).toBe('Vui lòng nhập số CCCD của người mẹ');
    expect(r.errors['childBirthPlace.province']).toMatch(/tỉnh, thành phố/);
    expect(r.errors.fatherName).toBeUndefined();
  });

  it('says the same in English with lang en, quoting the Vietnamese labels; the same fields fail', () => {
    const vi = validateForm(birth, { ...good, motherIdNo: '12345', childName: '' }, ctx);
    const en = validateForm(birth, { ...good, motherIdNo: '12345', childName: '' }, { ...ctx, lang: 'en' });
    expect(en.ok || vi.ok).toBe(false);
    if (en.ok || vi.ok) return;
    expect(Object.keys(en.errors).sort()).toEqual(Object.keys(vi.errors).sort());
    expect(en.errors.childName).toBe('Please fill in “Họ, chữ đệm và tên của trẻ”');
    expect(en.errors.motherIdNo).toBe('The citizen ID number (CCCD) has exactly 12 digits');
    const empty = validateForm(birth, {}, { ...ctx, lang: 'en' });
    if (empty.ok) throw new Error('an empty form passed');
    expect(empty.errors.childSex).toBe('Please choose “Giới tính của trẻ”');
    expect(empty.errors['childBirthPlace.province']).toBe('Please choose the province or city of “Nơi sinh”');
  });

  it('checks CCCD, phone, e-mail, dates, selects', () => {
    const r = validateForm(
      birth,
      {
        ...good,
        motherIdNo: '12345',
        phone: '912345678',
        email: 'a@b',
        childBirthDate: '31/02/2026',
        childSex: 'x',
      },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.motherIdNo).toBe('Số CCCD (định danh cá nhân) gồm đúng 12 chữ số');
    expect(r.errors.phone).toBe('Số điện thoại gồm 10 chữ số, bắt đầu bằng số 0');
    expect(r.errors.email).toBe('Thư điện tử không hợp lệ');
    expect(r.errors.childBirthDate).toMatch(/dd\/MM\/yyyy/);
    expect(r.errors.childSex).toMatch(/trong danh sách/);
  });

  it('refuses a date of birth after today and a commune of another province', () => {
    const r = validateForm(
      birth,
      { ...good, childBirthDate: '08/12/2026', 'childBirthPlace.commune': '88001' },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.childBirthDate).toBe('Ngày sinh của trẻ không được sau ngày hôm nay');
    expect(r.errors['childBirthPlace.commune']).toMatch(/thuộc tỉnh/);
  });

  it('ignores hidden conditional fields and does not return them; checks them when shown', () => {
    const hidden = validateForm(birth, { ...good, requesterRelation: 'bà nội', requesterIdNo: 'x' }, ctx);
    expect(hidden.ok).toBe(true);
    if (hidden.ok) expect(hidden.values).not.toHaveProperty('requesterRelation');
    const shown = validateForm(birth, { ...good, requesterRole: 'khac' }, ctx);
    expect(shown.ok).toBe(false);
    if (!shown.ok) expect(Object.keys(shown.errors).sort()).toEqual(['requesterIdNo', 'requesterRelation']);
    const filled = validateForm(
      birth,
      { ...good, requesterRole: 'khac', requesterRelation: 'Bà nội', requesterIdNo: '001150000009' },
      ctx,
    );
    expect(filled.ok && filled.values.requesterRelation).toBe('Bà nội');
  });

  it('reads group rows, drops blank rows, checks each row and max rows', () => {
    const r = validateForm(
      birth,
      {
        ...good,
        'witnesses[0].name': 'Lê Văn C',
        'witnesses[0].idNo': '001080000003',
        'witnesses[1].name': '',
        'witnesses[1].idNo': '',
      },
      ctx,
    );
    expect(r.ok && r.values.witnesses).toEqual([{ name: 'Lê Văn C', idNo: '001080000003' }]);
    const bad = validateForm(birth, { ...good, 'witnesses[1].name': 'X' }, ctx);
    expect(!bad.ok && bad.errors['witnesses[1].idNo']).toBe('Vui lòng nhập số CCCD người làm chứng');
    // Rows beyond max are never read.
    expect(groupRowCount({ 'witnesses[7].name': 'x' }, { key: 'witnesses', min: 0, max: 2 })).toBe(2);
  });

  it('requires min rows of a required group', () => {
    const def = FormDefinition.parse({
      fields: [
        {
          key: 'g',
          type: 'group',
          label_vi: 'Con',
          required: true,
          fields: [{ key: 'n', type: 'text', label_vi: 'Tên' }],
        },
      ],
    });
    const r = validateForm(def, {}, ctx);
    expect(!r.ok && r.errors['g[0].n']).toBe('Con: cần ít nhất 1 dòng');
  });

  it('numbers: format, integer, bounds; text: pattern, lengths', () => {
    const def = FormDefinition.parse({
      fields: [
        { key: 'n', type: 'number', label_vi: 'Số con', integer: true, min: 0, max: 20 },
        {
          key: 't',
          type: 'text',
          label_vi: 'Mã',
          pattern: '[A-Z]{2}\\d{3}',
          patternMessage_vi: 'Mã gồm 2 chữ hoa và 3 số',
        },
        { key: 'a', type: 'textarea', label_vi: 'Ghi chú', maxLength: 5 },
      ],
    });
    const v = (raw: Record<string, string>) => validateForm(def, raw, ctx);
    expect(v({ n: '3', t: 'AB123', a: 'ổn' })).toEqual({ ok: true, values: { n: 3, t: 'AB123', a: 'ổn' } });
    expect(v({ n: 'ba' })).toMatchObject({ errors: { n: 'Số con phải là một số' } });
    expect(v({ n: '2.5' })).toMatchObject({ errors: { n: 'Số con phải là số nguyên' } });
    expect(v({ n: '21' })).toMatchObject({ errors: { n: 'Số con không được lớn hơn 20' } });
    expect(v({ n: '-1' })).toMatchObject({ errors: { n: 'Số con không được nhỏ hơn 0' } });
    expect(v({ t: 'ab123' })).toMatchObject({ errors: { t: 'Mã gồm 2 chữ hoa và 3 số' } });
    // The pattern is anchored: a match inside the value is not enough.
    expect(v({ t: 'xAB123' })).toMatchObject({ errors: { t: 'Mã gồm 2 chữ hoa và 3 số' } });
    expect(v({ a: 'ẩẩẩẩẩẩ' })).toMatchObject({ errors: { a: 'Ghi chú tối đa 5 ký tự' } });
  });

  it('knownRaw keeps only the names the form has, and the row count of groups', () => {
    const raw = knownRaw(birth, {
      ...good,
      evil: 'x',
      'witnesses[0].name': 'A',
      'witnesses[0].other': 'y',
      _csrf: 't',
    });
    expect(raw).not.toHaveProperty('evil');
    expect(raw).not.toHaveProperty('_csrf');
    expect(raw).not.toHaveProperty('witnesses[0].other');
    expect(raw['witnesses[0].name']).toBe('A');
    expect(raw['witnesses.__rows']).toBe('1');
  });
});

describe('properties', () => {
  it('parseViDate agrees with the calendar for every day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, dd] = iso.split('-');
          expect(parseViDate(`${dd}/${m}/${y}`)).toBe(iso);
          expect(parseViDate(`${Number(dd)}/${Number(m)}/${y}`)).toBe(iso);
        },
      ),
    );
  });
  it('a CCCD is valid exactly when it is 12 digits', () => {
    const def = FormDefinition.parse({
      fields: [{ key: 'c', type: 'cccd', label_vi: 'CCCD', required: true }],
    });
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = validateForm(def, { c: s }, ctx);
        expect(r.ok).toBe(/^\d{12}$/.test(s.trim()));
      }),
    );
  });
  it('never throws and only reports paths of the form, on any input', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...Object.keys(good), 'witnesses[0].name', 'requesterRole', 'x'),
          fc.string({ maxLength: 30 }),
        ),
        (raw) => {
          const r = validateForm(birth, raw, ctx);
          if (!r.ok)
            for (const k of Object.keys(r.errors))
              expect(k).toMatch(/^(childBirthPlace\.|witnesses\[\d\]\.)?[a-zA-Z]+$|^childBirthPlace\.\w+$/);
        },
      ),
    );
  });
});
