/**
 * Value formats of edXML fields: agency codes, dates, document ids, and the code tables (status
 * codes, business types) as data.
 */

// ---------------------------------------------------------------------------------------------
// Agency codes (mã định danh)

/**
 * - `qcvn102`: the legacy QCVN 102:2016 13-character form `NNN.NN.NN.XNN`, level 1 rightmost
 *   (`000.00.00.H41`).
 * - `qd20`: the QĐ 20/2020/QĐ-TTg form: at most 35 characters, dot-separated groups of [0-9A-Z],
 *   level 1 leftmost, so the first group starts with a letter (`H37.02.02`, `G22`).
 * - `nonstandard`: the QĐ 20 character set and length but neither shape, e.g. `28.22.H17` and
 *   `01.02.G22` in the axis SDK samples (a level-1 code on the right, as in the legacy form, but
 *   only three groups). Accepted by lenient parsing with EDXML_NONSTANDARD_ORGAN_ID.
 * - `invalid`: anything else (empty, lower case, spaces, over 35 characters, empty groups).
 */
export type OrganIdForm = 'qcvn102' | 'qd20' | 'nonstandard' | 'invalid';

const LEGACY_ORGAN_ID = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
const QD20_ORGAN_ID = /^[A-Z][0-9A-Z]*(?:\.[0-9A-Z]+)*$/;
const CHARSET_ORGAN_ID = /^[0-9A-Z]+(?:\.[0-9A-Z]+)*$/;

export const ORGAN_ID_MAX_LENGTH = 35;

export function classifyOrganId(id: string): OrganIdForm {
  if (id.length === 0 || id.length > ORGAN_ID_MAX_LENGTH) return 'invalid';
  if (LEGACY_ORGAN_ID.test(id)) return 'qcvn102';
  if (QD20_ORGAN_ID.test(id)) return 'qd20';
  if (CHARSET_ORGAN_ID.test(id)) return 'nonstandard';
  return 'invalid';
}

/** True for the two standard forms; with `lenient`, also for the nonstandard one. */
export function isValidOrganId(id: string, options: { lenient?: boolean } = {}): boolean {
  const form = classifyOrganId(id);
  return form === 'qcvn102' || form === 'qd20' || (options.lenient === true && form === 'nonstandard');
}

// ---------------------------------------------------------------------------------------------
// Dates. Kept as strings on the wire form so a round trip is exact.

/** `yyyy/MM/dd`, a real calendar day. */
export type EdxmlDate = string;
/** `yyyy/MM/dd HH:mm:ss`, 24-hour clock, local time of the sender (Vietnam: UTC+7). */
export type EdxmlTimestamp = string;

const DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const TIMESTAMP = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return d <= days;
}

export function isEdxmlDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isEdxmlTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  return (
    m !== null &&
    validDay(Number(m[1]), Number(m[2]), Number(m[3])) &&
    Number(m[4]) < 24 &&
    Number(m[5]) < 60 &&
    Number(m[6]) < 60
  );
}

const VN_OFFSET_MS = 7 * 3_600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The calendar day of `instant` in Vietnam (UTC+7) as `yyyy/MM/dd`. */
export function formatEdxmlDate(instant: Date): EdxmlDate {
  const t = new Date(instant.getTime() + VN_OFFSET_MS);
  return `${pad(t.getUTCFullYear(), 4)}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}`;
}

/** `instant` in Vietnam time (UTC+7) as `yyyy/MM/dd HH:mm:ss`. */
export function formatEdxmlTimestamp(instant: Date): EdxmlTimestamp {
  const t = new Date(instant.getTime() + VN_OFFSET_MS);
  return `${formatEdxmlDate(instant)} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

// ---------------------------------------------------------------------------------------------
// DocumentId: `{OrganId},{yyyy/MM/dd},{number}/{notation}`

export interface DocumentIdParts {
  organId: string;
  date: EdxmlDate;
  number: string;
  notation: string;
}

/**
 * Splits a DocumentId. Returns undefined unless it has the shape and the parts are valid: a
 * well-formed agency code (any form but `invalid`; check `classifyOrganId` for strictness), a real
 * date, a non-empty number and notation. The number ends at the first `/` after the second comma.
 */
export function parseDocumentId(id: string): DocumentIdParts | undefined {
  const parts = id.split(',');
  if (parts.length !== 3) return undefined;
  const [organId = '', date = '', code = ''] = parts;
  const slash = code.indexOf('/');
  if (slash <= 0 || slash === code.length - 1) return undefined;
  if (classifyOrganId(organId) === 'invalid' || !isEdxmlDate(date)) return undefined;
  return { organId, date, number: code.slice(0, slash), notation: code.slice(slash + 1) };
}

/** Builds a DocumentId; throws a RangeError if the result would not parse back to the same parts. */
export function buildDocumentId(parts: DocumentIdParts): string {
  const id = `${parts.organId},${parts.date},${parts.number}/${parts.notation}`;
  const back = parseDocumentId(id);
  if (
    !back ||
    back.organId !== parts.organId ||
    back.date !== parts.date ||
    back.number !== parts.number ||
    back.notation !== parts.notation
  )
    throw new RangeError(`cannot build a DocumentId from ${JSON.stringify(parts)}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Code tables

export type StatusCode = '01' | '02' | '03' | '04' | '05' | '06' | '13' | '15' | '16';

export interface StatusCodeInfo {
  code: StatusCode;
  nameVi: string;
  descriptionVi: string;
  /** Which side of the exchange sends it. */
  who: 'recipient' | 'sender';
}

/** Status codes of the document axis (QĐ 28/2018 practice; STANDARDS §1.5). 07–12 and 14 are unused. */
export const STATUS_CODES: readonly StatusCodeInfo[] = [
  {
    code: '01',
    nameVi: 'Đã đến',
    descriptionVi: 'Phần mềm quản lý văn bản bên nhận đã nhận, văn thư chưa xử lý',
    who: 'recipient',
  },
  {
    code: '02',
    nameVi: 'Từ chối tiếp nhận',
    descriptionVi: 'Văn thư bên nhận trả lại văn bản, có nêu lý do',
    who: 'recipient',
  },
  { code: '03', nameVi: 'Đã tiếp nhận', descriptionVi: 'Đã vào sổ văn bản đến', who: 'recipient' },
  { code: '04', nameVi: 'Phân công', descriptionVi: 'Lãnh đạo đã phân công xử lý', who: 'recipient' },
  { code: '05', nameVi: 'Đang xử lý', descriptionVi: 'Văn bản đang được xử lý', who: 'recipient' },
  { code: '06', nameVi: 'Hoàn thành', descriptionVi: 'Đã xử lý xong hoặc đã lưu hồ sơ', who: 'recipient' },
  { code: '13', nameVi: 'Yêu cầu lấy lại', descriptionVi: 'Bên gửi đề nghị lấy lại văn bản', who: 'sender' },
  {
    code: '15',
    nameVi: 'Đồng ý lấy lại/cập nhật',
    descriptionVi: 'Bên nhận đồng ý thu hồi hoặc cập nhật văn bản',
    who: 'recipient',
  },
  {
    code: '16',
    nameVi: 'Từ chối lấy lại/cập nhật',
    descriptionVi: 'Bên nhận từ chối thu hồi hoặc cập nhật văn bản',
    who: 'recipient',
  },
];

export function statusCodeInfo(code: string): StatusCodeInfo | undefined {
  return STATUS_CODES.find((s) => s.code === code);
}

export function isStatusCode(code: string): code is StatusCode {
  return statusCodeInfo(code) !== undefined;
}

/** BussinessDocType (spelled so on the wire): 0 new, 1 recall, 2 update, 3 replace. */
export type BussinessDocType = 0 | 1 | 2 | 3;

export const BUSINESS_DOC_TYPES: readonly { type: BussinessDocType; key: string; nameVi: string }[] = [
  { type: 0, key: 'new', nameVi: 'Văn bản mới' },
  { type: 1, key: 'recall', nameVi: 'Thu hồi' },
  { type: 2, key: 'update', nameVi: 'Cập nhật' },
  { type: 3, key: 'replace', nameVi: 'Thay thế' },
];

/** Priority (độ khẩn) 0..3, "lớn dần từ 0 đến 3"; names as commonly mapped (STANDARDS §1.3 [R]). */
export const PRIORITIES: readonly { priority: number; nameVi: string }[] = [
  { priority: 0, nameVi: 'Thường' },
  { priority: 1, nameVi: 'Khẩn' },
  { priority: 2, nameVi: 'Thượng khẩn' },
  { priority: 3, nameVi: 'Hỏa tốc' },
];
