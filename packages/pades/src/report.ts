/**
 * The verification report: structured (stored as evidence with the document, TT 15/2025 Phụ lục
 * II) and rendered in Vietnamese for people.
 */

export type CheckCode =
  | 'INTEGRITY'
  | 'CRYPTO'
  | 'CHAIN'
  | 'VALIDITY'
  | 'KEY_USAGE'
  | 'REVOCATION'
  | 'ALGORITHM';
export type CheckStatus = 'ok' | 'warning' | 'failed';

export interface VerificationCheck {
  code: CheckCode;
  status: CheckStatus;
  /** Vietnamese, for people. */
  message: string;
}

export interface RevocationEvidence {
  /** The certificate it is about (hex serial). */
  serial: string;
  source: 'crl' | 'ocsp' | 'none';
  url?: string;
  /** Carried in the signature or the PDF (/DSS) rather than fetched. */
  embedded?: boolean;
  status: 'good' | 'revoked' | 'unknown';
  /** ISO date-time, when revoked. */
  revokedAt?: string;
  /** RFC 5280 reason name, when given. */
  reason?: string;
  /** The DER CRL or OCSP response that was used, base64 (evidence). */
  data?: string;
}

export interface SignatureReport {
  /** 1-based, in the order the signatures were applied. */
  index: number;
  fieldName?: string;
  signer: { commonName?: string; organization?: string; subject: string };
  issuer?: string;
  /** Signer certificate serial number (hex). */
  serial?: string;
  /** e.g. "RSA-SHA256", "RSA-PSS-SHA256", "ECDSA-SHA256". */
  algorithm?: string;
  /** ISO date-time: the timestamp's time, else the CMS signingTime, else the PDF /M. */
  signingTime?: string;
  signingTimeSource?: 'timestamp' | 'cms' | 'pdf';
  reason?: string;
  byteRange: number[];
  coversWholeDocument: boolean;
  modificationsAfter: 'none' | 'allowed' | 'suspicious';
  /** No check failed except possibly CHAIN. */
  valid: boolean;
  /** The chain reaches one of the trust anchors. */
  trusted: boolean;
  checks: VerificationCheck[];
  /** DER certificates (signer first, then the chain built), base64. */
  certificates: string[];
  revocationData: RevocationEvidence[];
}

export interface VerificationReport {
  /** At least one signature, and every signature valid. */
  valid: boolean;
  /** At least one signature, and every signature trusted. */
  trusted: boolean;
  /** ISO date-time the verification ran at. */
  verifiedAt: string;
  signatures: SignatureReport[];
}

const TZ = 'Asia/Ho_Chi_Minh';

/** dd/MM/yyyy HH:mm in Việt Nam time. */
const viDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Since 13 June 1975 Việt Nam time is UTC+7 all year (tz database, Asia/Ho_Chi_Minh). */
const FIXED_OFFSET_SINCE = Date.UTC(1975, 5, 13);

export function formatViDateTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (d.getTime() >= FIXED_OFFSET_SINCE && d.getUTCFullYear() < 10000) {
    const t = new Date(d.getTime() + 7 * 3600_000);
    return `${pad2(t.getUTCDate())}/${pad2(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
  }
  const parts = viDateTime.formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('day')}/${p('month')}/${p('year')} ${p('hour')}:${p('minute')}`;
}

/** dd/MM/yyyy in Việt Nam time. */
export function formatViDate(iso: string | Date): string {
  return formatViDateTime(iso).slice(0, 10);
}

const STATUS_VI: Record<CheckStatus, string> = { ok: 'Đạt', warning: 'Cảnh báo', failed: 'Không đạt' };
const CODE_VI: Record<CheckCode, string> = {
  INTEGRITY: 'Toàn vẹn',
  CRYPTO: 'Chữ ký số',
  CHAIN: 'Đường dẫn tin cậy',
  VALIDITY: 'Hiệu lực chứng thư',
  KEY_USAGE: 'Mục đích sử dụng khóa',
  REVOCATION: 'Tình trạng thu hồi',
  ALGORITHM: 'Thuật toán',
};

/** A Vietnamese, human-readable rendering of the report. */
export function renderReportVi(report: VerificationReport): string {
  const lines: string[] = [];
  if (report.signatures.length === 0) {
    lines.push('Tài liệu không có chữ ký số.');
    return lines.join('\n');
  }
  lines.push(
    `Kết quả kiểm tra ${report.signatures.length} chữ ký số (lúc ${formatViDateTime(report.verifiedAt)}): ` +
      (report.valid && report.trusted
        ? 'TẤT CẢ HỢP LỆ'
        : report.valid
          ? 'HỢP LỆ nhưng CHƯA XÁC THỰC ĐƯỢC NGUỒN TIN CẬY'
          : 'CÓ CHỮ KÝ KHÔNG HỢP LỆ'),
  );
  for (const s of report.signatures) {
    const who = s.signer.commonName ?? s.signer.subject ?? 'không rõ người ký';
    const verdict = !s.valid
      ? 'KHÔNG HỢP LỆ'
      : s.trusted
        ? 'HỢP LỆ'
        : 'HỢP LỆ VỀ MẶT KỸ THUẬT, KHÔNG TIN CẬY';
    lines.push('');
    lines.push(
      `Chữ ký ${s.index}: ${who}${s.signer.organization ? ` (${s.signer.organization})` : ''} — ${verdict}`,
    );
    if (s.fieldName) lines.push(`  Trường ký: ${s.fieldName}`);
    if (s.issuer) lines.push(`  Tổ chức cấp chứng thư: ${s.issuer}`);
    if (s.serial) lines.push(`  Số hiệu chứng thư: ${s.serial}`);
    if (s.signingTime) {
      const src = s.signingTimeSource === 'timestamp' ? 'theo dấu thời gian' : 'do người ký khai';
      lines.push(`  Thời điểm ký: ${formatViDateTime(s.signingTime)} (${src})`);
    }
    if (s.algorithm) lines.push(`  Thuật toán: ${s.algorithm}`);
    lines.push(
      `  Phạm vi ký: ${s.coversWholeDocument ? 'toàn bộ tài liệu' : 'một phiên bản trước của tài liệu'}; ` +
        `thay đổi sau khi ký: ${
          s.modificationsAfter === 'none'
            ? 'không có'
            : s.modificationsAfter === 'allowed'
              ? 'chỉ thêm chữ ký/trường ký (được phép)'
              : 'CÓ THAY ĐỔI NỘI DUNG (đáng ngờ)'
        }`,
    );
    for (const c of s.checks) lines.push(`  - ${CODE_VI[c.code]}: ${STATUS_VI[c.status]} — ${c.message}`);
  }
  return lines.join('\n');
}
