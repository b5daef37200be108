/**
 * The national TTHC database's `LayThuTuc` record (STANDARDS §5) ↔ our procedure input. Pure: no
 * I/O. Every rejection carries a Vietnamese reason. docs/procedures.md describes the mapping.
 *
 * Local extensions written by export and read back by import (the national record has no field
 * for them): CAPTHUCHIEN (Cấp Xã / Cấp Tỉnh / Cấp Bộ), MUCDO (Toàn trình / Một phần) and
 * TRUONGHOP on each THOIGIAN and THANHPHANHOSO group (which case it belongs to).
 */
import { createHash } from 'node:crypto';
import type { ProcedureChannelInput, ProcedureComponentInput, ProcedureFeeInput } from '@congvu/contracts';
import { nfc } from '@congvu/vntext';

type DurationUnit = ProcedureChannelInput['durationUnit'];

/** What a LayThuTuc record carries, in our terms (no local agencies, no workflow, no counts). */
export interface CatalogueProcedure {
  code: string;
  name: string;
  sectorCode: string | null;
  /** TENLINHVUC: used to create the sector when it is new; not part of the comparison. */
  sectorName?: string | null | undefined;
  announcingAgency?: string | undefined;
  authorityLevel: 'central' | 'province' | 'commune';
  onlineLevel: 'full' | 'partial';
  applicants: string[];
  applicantDescription?: string | undefined;
  conditions?: string | undefined;
  results: Array<{ code?: string | undefined; name: string }>;
  legalBasis: Array<{ number?: string | undefined; title: string }>;
  implementing: Array<{ code?: string | undefined; name: string }>;
  published: boolean;
  cases: Array<{
    name: string;
    steps: string[];
    channels: Array<{
      channel: 1 | 2 | 3;
      durationValue: number;
      durationUnit: DurationUnit;
      description?: string | undefined;
      fees: Array<Pick<ProcedureFeeInput, 'name' | 'amount'> & Partial<ProcedureFeeInput>>;
    }>;
    components: Array<Pick<ProcedureComponentInput, 'name'> & Partial<ProcedureComponentInput>>;
  }>;
}

export type LayThuTucRecord = Record<string, unknown>;

export type MapResult =
  | { ok: true; value: CatalogueProcedure }
  | { ok: false; code: string | null; reason: string };

const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/;
export const DEFAULT_CASE = 'Trường hợp chung';
export const DEFAULT_FEE_NAME = 'Phí, lệ phí';

const UNIT_TO_TEXT: Record<DurationUnit, string> = {
  working_days: 'Ngày làm việc',
  calendar_days: 'Ngày',
  working_hours: 'Giờ làm việc',
};

/** DONVITINH → our unit; undefined when unknown. */
export function unitOf(text: string): DurationUnit | undefined {
  const t = nfc(text).trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === 'ngày làm việc') return 'working_days';
  if (t === 'ngày') return 'calendar_days';
  if (t === 'giờ' || t === 'giờ làm việc') return 'working_hours';
  return undefined;
}

class Reject extends Error {}
const fail = (reason: string): never => {
  throw new Reject(reason);
};

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** A trimmed NFC string, or undefined for missing / empty. Numbers are accepted as text. */
function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = nfc(v).trim();
  return s === '' ? undefined : s;
}
function arr(v: unknown, field: string): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(`${field} phải là một danh sách`);
  return v.map((x, i) => (isObj(x) ? x : fail(`${field}[${i}] không phải là một đối tượng`)));
}
/** A non-negative number from a number or a numeric string ("1.5", "1,5"). */
function num(v: unknown, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`${what} không phải là số`);
    if (v < 0) fail(`${what} âm (${v})`);
    return v;
  }
  const s = str(v);
  if (s === undefined) return fail(`thiếu ${what}`);
  if (!/^-?\d+([.,]\d+)?$/.test(s)) return fail(`${what} không phải là số ("${s}")`);
  const n = Number(s.replace(',', '.'));
  if (n < 0) fail(`${what} âm (${s})`);
  return n;
}
/** SOTIEN in đồng: a number, digits, or digits grouped by "." or "," in threes ("50.000"). */
function money(v: unknown, what: string): number {
  if (v === undefined || v === null || v === '') return 0;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) fail(`${what} không hợp lệ (${v})`);
    return v;
  }
  const s = str(v);
  if (s === undefined) return fail(`${what} không phải là số`);
  if (/^\d+$/.test(s)) return Number(s);
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  return fail(`${what} không phải là số ("${s}")`);
}
function level(v: unknown): CatalogueProcedure['authorityLevel'] {
  const s = (str(v) ?? '').toLowerCase();
  if (s.includes('xã') || s.includes('phường')) return 'commune';
  if (s.includes('tỉnh')) return 'province';
  if (s.includes('bộ') || s.includes('trung ương')) return 'central';
  return 'province';
}
function online(v: unknown): CatalogueProcedure['onlineLevel'] {
  const s = (str(v) ?? '').toLowerCase();
  return s === '4' || s.includes('toàn trình') || s === 'full' ? 'full' : 'partial';
}
const caseKey = (s: string | undefined) => (s ?? '').toLowerCase();

/** Maps one LayThuTuc record; a rejection names the field and the problem in Vietnamese. */
export function fromRecord(rec: unknown): MapResult {
  if (!isObj(rec)) return { ok: false, code: null, reason: 'Bản ghi không phải là một đối tượng JSON' };
  const code = str(rec.MATTHC) ?? null;
  try {
    if (code === null) fail('Thiếu mã thủ tục (MATTHC)');
    if (!CODE_RE.test(code as string)) fail(`Mã thủ tục (MATTHC) không đúng định dạng: "${code}"`);
    const name = str(rec.TENTTHC) ?? fail('Thiếu tên thủ tục (TENTTHC)');
    if (name.length > 1000) fail('Tên thủ tục (TENTTHC) dài quá 1000 ký tự');

    const sectors = arr(rec.LINHVUCTHUCHIEN, 'LINHVUCTHUCHIEN');
    const sectorCode = sectors.length ? (str(sectors[0]!.MALINHVUC) ?? null) : null;
    if (sectorCode !== null && !/^[0-9A-Za-z][0-9A-Za-z._-]{0,49}$/.test(sectorCode))
      fail(`Mã lĩnh vực (MALINHVUC) không hợp lệ: "${sectorCode}"`);
    const sectorName = sectors.length ? (str(sectors[0]!.TENLINHVUC) ?? null) : null;

    const cases: CatalogueProcedure['cases'] = arr(rec.TRINHTUTHUCHIEN, 'TRINHTUTHUCHIEN').map((c, i) => ({
      name: str(c.TRUONGHOP) ?? (i === 0 ? DEFAULT_CASE : `Trường hợp ${i + 1}`),
      steps: arr(c.TRINHTU, `TRINHTUTHUCHIEN[${i}].TRINHTU`)
        .map((s) => str(s.TENTRINHTU))
        .filter((s): s is string => s !== undefined),
      channels: [],
      components: [],
    }));
    if (cases.length === 0) cases.push({ name: DEFAULT_CASE, steps: [], channels: [], components: [] });
    if (cases.length > 50) fail('Quá 50 trường hợp (TRINHTUTHUCHIEN)');

    /** The case a THOIGIAN / THANHPHANHOSO group belongs to: by TRUONGHOP, else by position. */
    const targets = (named: string | undefined, j: number, count: number) => {
      if (named !== undefined) {
        const k = cases.findIndex((c) => caseKey(c.name) === caseKey(named));
        if (k >= 0) return [k];
      }
      if (count === cases.length) return [j];
      return j === 0 ? cases.map((_, k) => k) : [];
    };

    for (const [ci, ch] of arr(rec.CACHTHUCTHUCHIEN, 'CACHTHUCTHUCHIEN').entries()) {
      const k = str(ch.KENH);
      if (k !== '1' && k !== '2' && k !== '3')
        fail(`Kênh thực hiện (CACHTHUCTHUCHIEN[${ci}].KENH) phải là 1, 2 hoặc 3, nhận "${k ?? ''}"`);
      const channel = Number(k) as 1 | 2 | 3;
      const times = arr(ch.THOIGIAN, `CACHTHUCTHUCHIEN[${ci}].THOIGIAN`);
      for (const [j, t] of times.entries()) {
        const where = `CACHTHUCTHUCHIEN[${ci}].THOIGIAN[${j}]`;
        const durationValue = num(t.THOIGIANGIAIQUYET, `thời gian giải quyết (${where}.THOIGIANGIAIQUYET)`);
        if (durationValue > 99_999) fail(`Thời gian giải quyết (${where}) quá lớn: ${durationValue}`);
        const unitText = str(t.DONVITINH) ?? fail(`Thiếu đơn vị tính thời gian (${where}.DONVITINH)`);
        const durationUnit =
          unitOf(unitText) ?? fail(`Đơn vị tính thời gian không hợp lệ (${where}.DONVITINH): "${unitText}"`);
        const fees = arr(t.PHILEPHI, `${where}.PHILEPHI`).map((f, n) => {
          const amount = money(f.SOTIEN, `số tiền phí, lệ phí (${where}.PHILEPHI[${n}].SOTIEN)`);
          const feeName = str(f.MOTA) ?? DEFAULT_FEE_NAME;
          const fee: CatalogueProcedure['cases'][number]['channels'][number]['fees'][number] = {
            name: feeName.slice(0, 500),
            kind: /lệ phí/i.test(feeName) ? 'charge' : 'fee',
            amount,
            when: amount > 0 ? 'before' : 'exempt',
          };
          const feeCode = str(f.MAPHILEPHI);
          if (feeCode !== undefined) fee.code = feeCode;
          return fee;
        });
        const description = str(t.MOTA);
        for (const target of targets(str(t.TRUONGHOP), j, times.length)) {
          const c = cases[target]!;
          if (c.channels.some((x) => x.channel === channel))
            fail(`Kênh ${channel} được khai hai lần cho trường hợp "${c.name}"`);
          c.channels.push({
            channel,
            durationValue,
            durationUnit,
            ...(description !== undefined && { description }),
            fees,
          });
        }
      }
    }
    for (const c of cases) c.channels.sort((a, b) => a.channel - b.channel);

    const groups = arr(rec.THANHPHANHOSO, 'THANHPHANHOSO');
    for (const [j, g] of groups.entries()) {
      const papers = arr(g.GIAYTO, `THANHPHANHOSO[${j}].GIAYTO`).map((p, n) => {
        const paperName =
          str(p.TENGIAYTO) ?? fail(`Thiếu tên giấy tờ (THANHPHANHOSO[${j}].GIAYTO[${n}].TENGIAYTO)`);
        const comp: CatalogueProcedure['cases'][number]['components'][number] = { name: paperName };
        const c = str(p.MAGIAYTO);
        const formName = str(p.TENMAUDON);
        const formUrl = str(p.URL);
        if (c !== undefined) comp.code = c;
        if (formName !== undefined) comp.formName = formName;
        if (formUrl !== undefined) comp.formUrl = formUrl;
        return comp;
      });
      for (const target of targets(str(g.TRUONGHOP), j, groups.length))
        cases[target]!.components.push(...papers);
    }

    const named = <K extends string, V extends string>(
      list: Record<string, unknown>[],
      codeKey: string,
      nameKey: string,
      k: K,
      v: V,
    ) =>
      list.flatMap((x) => {
        const n = str(x[nameKey]);
        if (n === undefined) return [];
        const c = str(x[codeKey]);
        return [
          { ...(c !== undefined && { [k]: c }), [v]: n } as { [P in K]?: string } & { [P in V]: string },
        ];
      });

    const out: CatalogueProcedure = {
      code: code as string,
      name,
      sectorCode,
      sectorName,
      authorityLevel: level(rec.CAPTHUCHIEN),
      onlineLevel: online(rec.MUCDO),
      applicants: arr(rec.DOITUONGTHUCHIEN, 'DOITUONGTHUCHIEN')
        .map((d) => str(d.TENDOITUONG))
        .filter((s): s is string => s !== undefined),
      results: named(arr(rec.KETQUATHUCHIEN, 'KETQUATHUCHIEN'), 'MAKETQUA', 'TENKETQUA', 'code', 'name'),
      legalBasis: named(arr(rec.CANCUPHAPLY, 'CANCUPHAPLY'), 'SOVANBAN', 'TENVANBAN', 'number', 'title'),
      implementing: named(arr(rec.COQUANTHUCHIEN, 'COQUANTHUCHIEN'), 'MADONVI', 'TENDONVI', 'code', 'name'),
      published: str(rec.TRANGTHAI) === '1',
      cases,
    };
    const announcing = str(rec.MACOQUANCONGBO);
    const desc = str(rec.MOTADOITUONGTHUCHIEN);
    const cond = str(rec.YEUCAU);
    if (announcing !== undefined) out.announcingAgency = announcing;
    if (desc !== undefined) out.applicantDescription = desc;
    if (cond !== undefined) out.conditions = cond;
    return { ok: true, value: out };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, code, reason: e.message };
    throw e;
  }
}

const opt = <K extends string>(k: K, v: string | null | undefined) =>
  (v === undefined || v === null || v === '' ? {} : { [k]: v }) as { [P in K]?: string };

/** Our procedure as a LayThuTuc record (export). `sectorName` is TENLINHVUC when known. */
export function toRecord(p: CatalogueProcedure): LayThuTucRecord {
  return {
    MATTHC: p.code,
    TENTTHC: p.name,
    ...opt('MACOQUANCONGBO', p.announcingAgency),
    LINHVUCTHUCHIEN:
      p.sectorCode === null ? [] : [{ MALINHVUC: p.sectorCode, ...opt('TENLINHVUC', p.sectorName) }],
    CAPTHUCHIEN:
      p.authorityLevel === 'commune' ? 'Cấp Xã' : p.authorityLevel === 'province' ? 'Cấp Tỉnh' : 'Cấp Bộ',
    MUCDO: p.onlineLevel === 'full' ? 'Toàn trình' : 'Một phần',
    TRINHTUTHUCHIEN: p.cases.map((c) => ({
      TRUONGHOP: c.name,
      TRINHTU: c.steps.map((s) => ({ TENTRINHTU: s })),
    })),
    CACHTHUCTHUCHIEN: ([1, 2, 3] as const).flatMap((k) => {
      const times = p.cases.flatMap((c) => {
        const ch = c.channels.find((x) => x.channel === k);
        if (!ch) return [];
        return [
          {
            TRUONGHOP: c.name,
            THOIGIANGIAIQUYET: ch.durationValue,
            DONVITINH: UNIT_TO_TEXT[ch.durationUnit],
            ...opt('MOTA', ch.description),
            PHILEPHI: ch.fees.map((f) => ({
              ...opt('MAPHILEPHI', f.code),
              SOTIEN: f.amount,
              DONVI: 'Đồng',
              MOTA: f.name,
            })),
          },
        ];
      });
      return times.length ? [{ KENH: k, THOIGIAN: times }] : [];
    }),
    THANHPHANHOSO: p.cases.map((c) => ({
      TRUONGHOP: c.name,
      GIAYTO: c.components.map((g) => ({
        ...opt('MAGIAYTO', g.code),
        TENGIAYTO: g.name,
        ...opt('TENMAUDON', g.formName),
        ...opt('URL', g.formUrl),
      })),
    })),
    DOITUONGTHUCHIEN: p.applicants.map((a) => ({ TENDOITUONG: a })),
    ...opt('MOTADOITUONGTHUCHIEN', p.applicantDescription),
    ...opt('YEUCAU', p.conditions),
    KETQUATHUCHIEN: p.results.map((r) => ({ ...opt('MAKETQUA', r.code), TENKETQUA: r.name })),
    CANCUPHAPLY: p.legalBasis.map((l) => ({ ...opt('SOVANBAN', l.number), TENVANBAN: l.title })),
    COQUANTHUCHIEN: p.implementing.map((i) => ({ ...opt('MADONVI', i.code), TENDONVI: i.name })),
    TRANGTHAI: p.published ? 1 : 0,
  };
}

/** JSON with object keys sorted at every level (undefined members dropped), for hashing. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObj(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/**
 * source_hash: SHA-256 of the canonical JSON of the record as we would export it, without the
 * sector's name (so a renamed sector does not make every record "changed"). Equal hashes = same
 * published content: re-importing it changes nothing, and export → import is "unchanged".
 */
export function recordHash(p: CatalogueProcedure): string {
  return createHash('sha256')
    .update(canonicalJson(toRecord({ ...p, sectorName: null })))
    .digest('hex');
}

/** The records of an import body: an array, or the portal's `{ result: [...] }`. */
export function recordsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObj(body) && Array.isArray(body.result)) return body.result;
  return [];
}
