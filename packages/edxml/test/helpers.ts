/** Test helpers: the shared fixture folder, model factories with overrides, throw-away keys. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Edoc, EdocAttachment, Organ, StatusMessage } from '../src/index.ts';

/**
 * The axis SDK samples: $CONGVU_SHARED/fixtures/edxml-vxp-sdk, else the first `shared/fixtures`
 * found walking up from this file (the repository's sibling `shared`). Undefined when absent.
 */
export function fixturesDir(): string | undefined {
  const env = process.env.CONGVU_SHARED;
  if (env) {
    const d = path.join(env, 'fixtures', 'edxml-vxp-sdk');
    return existsSync(d) ? d : undefined;
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const d = path.join(dir, 'shared', 'fixtures', 'edxml-vxp-sdk');
    if (existsSync(d)) return d;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export const FIXTURES = fixturesDir();
export const NO_FIXTURES_REASON = 'shared/fixtures/edxml-vxp-sdk not found (set CONGVU_SHARED)';
if (!FIXTURES) console.warn(`[edxml tests] skipping fixture tests: ${NO_FIXTURES_REASON}`);

export function fixture(name: string): Buffer {
  if (!FIXTURES) throw new Error(NO_FIXTURES_REASON);
  return readFileSync(path.join(FIXTURES, name));
}

export function organ(overrides: Partial<Organ> = {}): Organ {
  return {
    organId: 'H37.02.02',
    organizationInCharge: 'UBND tỉnh Lạng Sơn',
    organName: 'Sở Khoa học và Công nghệ tỉnh Lạng Sơn',
    organAdd: 'Số 1 đường Hoàng Văn Thụ, TP Lạng Sơn',
    email: 'sokhcn@langson.gov.vn',
    telephone: '0205 3812 345',
    fax: '0205 3812 346',
    website: 'https://skhcn.langson.gov.vn',
    ...overrides,
  };
}

export function edoc(
  overrides: Partial<Edoc['header']> = {},
  rest: Partial<Omit<Edoc, 'header'>> = {},
): Edoc {
  return {
    header: {
      from: organ(),
      to: [
        organ({
          organId: '000.00.00.H41',
          organName: 'UBND tỉnh Nghệ An',
          organizationInCharge: 'UBND tỉnh Nghệ An',
        }),
      ],
      documentId: 'H37.02.02,2025/03/05,123/SKHCN-VP',
      code: { number: '123', notation: 'SKHCN-VP' },
      promulgation: { place: 'Lạng Sơn', date: '2025/03/05' },
      documentType: { type: 1, typeDetail: 0, typeName: 'Công văn' },
      subject: 'V/v kết nối, liên thông phần mềm quản lý văn bản',
      content: 'Nội dung tóm tắt',
      signerInfo: { competence: 'KT. GIÁM ĐỐC', position: 'Phó Giám đốc', fullName: 'Nguyễn Văn A' },
      dueDate: '2025/03/20',
      toPlaces: ['Như trên', 'Lưu: VT'],
      otherInfo: {
        priority: 1,
        sphereOfPromulgation: 'Liên thông văn bản quốc gia',
        typerNotation: 'NVB',
        promulgationAmount: 2,
        pageAmount: 3,
        direction: false,
        appendixes: ['Phụ lục I'],
      },
      steeringType: 0,
      responseFor: [],
      ...overrides,
    },
    traceHeaders: [{ organId: 'H37.02.02', timestamp: '2025/03/05 09:15:00' }],
    business: {
      docType: 0,
      documentId: 'H37.02.02,2025/03/05,123/SKHCN-VP',
      reason: 'Văn bản điện tử mới',
      paper: 0,
      staffInfo: {
        department: 'Văn phòng',
        staff: 'Trần Thị B',
        email: 'vanthu@langson.gov.vn',
        mobile: '0912000001',
      },
    },
    manifest: [
      {
        contentId: 'cid:1',
        contentType: 'application/pdf',
        description: 'Văn bản',
        attachmentName: '123-SKHCN.pdf',
      },
    ],
    ...rest,
  };
}

export function attachment(overrides: Partial<EdocAttachment> = {}): EdocAttachment {
  return {
    contentId: 'cid:1',
    attachmentName: '123-SKHCN.pdf',
    description: 'Văn bản',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.7\n% test content ắ ư\n'),
    ...overrides,
  };
}

export function status(overrides: Partial<StatusMessage> = {}): StatusMessage {
  return {
    from: organ({ organId: '000.00.00.H41', organName: 'UBND tỉnh Nghệ An' }),
    responseFor: {
      organId: 'H37.02.02',
      code: '123/SKHCN-VP',
      promulgationDate: '2025/03/05',
      documentId: 'H37.02.02,2025/03/05,123/SKHCN-VP',
    },
    staffInfo: {
      department: 'Văn thư',
      staff: 'Lê Văn C',
      email: 'vanthu@nghean.gov.vn',
      mobile: '0912000002',
    },
    statusCode: '03',
    description: 'Đã tiếp nhận, vào sổ văn bản đến',
    timestamp: '2025/03/05 10:00:00',
    ...overrides,
  };
}

export interface TestKeys {
  dir: string;
  keyPem: string;
  certPem: string;
  keyPath: string;
  certPath: string;
  cleanup(): void;
}

/** A self-signed RSA certificate made by the openssl CLI. */
export function makeKeys(cn = 'Văn thư Sở KH&CN', bits = 2048): TestKeys {
  const dir = mkdtempSync(path.join(tmpdir(), 'edxml-keys-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      `rsa:${bits}`,
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-utf8',
      '-subj',
      `/CN=${cn}/O=CongVu/C=VN`,
    ],
    { stdio: 'ignore' },
  );
  return {
    dir,
    keyPath,
    certPath,
    keyPem: readFileSync(keyPath, 'utf8'),
    certPem: readFileSync(certPath, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const HAS_XMLSEC1 = spawnSync('xmlsec1', ['--version']).status === 0;
