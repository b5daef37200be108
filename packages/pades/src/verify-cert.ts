/**
 * The CMS and certificate half of verification: the signature over the signed attributes, the
 * algorithms, the chain to the trust anchors (by signature, never by name), validity, key usage
 * and revocation (CRL / OCSP through the injected RevocationSource). Pure computation.
 */
import { constants, createHash, X509Certificate as NodeCert, verify as nodeVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { RevocationEvidence, VerificationCheck } from './report.ts';
import { formatViDate } from './report.ts';
import type { RevocationSource } from './types.ts';

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
};
/** Signature algorithm OID → [family, digest or undefined (from the digestAlgorithm)]. */
const SIG_ALGS: Record<string, [string, string | undefined]> = {
  '1.2.840.113549.1.1.1': ['RSA', undefined],
  '1.2.840.113549.1.1.5': ['RSA', 'sha1'],
  '1.2.840.113549.1.1.14': ['RSA', 'sha224'],
  '1.2.840.113549.1.1.11': ['RSA', 'sha256'],
  '1.2.840.113549.1.1.12': ['RSA', 'sha384'],
  '1.2.840.113549.1.1.13': ['RSA', 'sha512'],
  '1.2.840.113549.1.1.10': ['RSA-PSS', undefined],
  '1.2.840.10045.2.1': ['ECDSA', undefined],
  '1.2.840.10045.4.1': ['ECDSA', 'sha1'],
  '1.2.840.10045.4.3.1': ['ECDSA', 'sha224'],
  '1.2.840.10045.4.3.2': ['ECDSA', 'sha256'],
  '1.2.840.10045.4.3.3': ['ECDSA', 'sha384'],
  '1.2.840.10045.4.3.4': ['ECDSA', 'sha512'],
};
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';

/** A fresh ArrayBuffer holding exactly `u` (Buffer.slice shares the pool, so copy). */
const ab = (u: Uint8Array): ArrayBuffer => {
  const c = new Uint8Array(u.byteLength);
  c.set(u);
  return c.buffer;
};
const b64 = (u: Uint8Array | ArrayBuffer) =>
  Buffer.from(u instanceof ArrayBuffer ? new Uint8Array(u) : u).toString('base64');
const hex = (u: ArrayBuffer | Uint8Array) =>
  Buffer.from(u instanceof ArrayBuffer ? new Uint8Array(u) : u).toString('hex');

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'SERIALNUMBER',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'E',
};

/** "CN=..., O=..." (most specific first, as people read it). */
export function nameToString(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues
    .map(
      (tv) =>
        `${ATTR_NAMES[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`,
    )
    .reverse()
    .join(', ');
}

export function nameAttr(n: pkijs.RelativeDistinguishedNames, short: string): string | undefined {
  const tv = n.typesAndValues.find((t) => ATTR_NAMES[t.type] === short);
  return tv ? String((tv.value.valueBlock as { value?: unknown }).value ?? '') : undefined;
}

export interface CertInfo {
  der: Uint8Array;
  node: NodeCert;
  p: pkijs.Certificate;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

export function loadCert(der: Uint8Array): CertInfo {
  const p = pkijs.Certificate.fromBER(ab(der));
  return {
    der,
    node: new NodeCert(der),
    p,
    subject: nameToString(p.subject),
    issuer: nameToString(p.issuer),
    serial: hex(p.serialNumber.valueBlock.valueHexView).toUpperCase(),
    notBefore: p.notBefore.value,
    notAfter: p.notAfter.value,
  };
}

function ext<T>(c: CertInfo, oid: string): T | undefined {
  return c.p.extensions?.find((e) => e.extnID === oid)?.parsedValue as T | undefined;
}

function uris(names: pkijs.GeneralName[] | undefined): string[] {
  return (names ?? [])
    .filter((g) => g.type === 6 && typeof g.value === 'string')
    .map((g) => g.value as string);
}

export function hashName(digestOid: string): string | undefined {
  return DIGESTS[digestOid];
}

export interface ParsedCms {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  certificates: CertInfo[];
  signer?: CertInfo;
  digest: string;
  digestOid: string;
}

export function parseCms(der: Uint8Array): ParsedCms {
  // /Contents is zero-padded: read only the first DER element.
  const asn = asn1js.fromBER(ab(der));
  if (asn.offset === -1) throw new Error('CMS không đọc được');
  const ci = new pkijs.ContentInfo({ schema: asn.result });
  if (ci.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('CMS không phải SignedData');
  const signedData = new pkijs.SignedData({ schema: ci.content });
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('CMS không có thông tin người ký');
  const certificates: CertInfo[] = [];
  for (const c of signedData.certificates ?? []) {
    if (c instanceof pkijs.Certificate)
      certificates.push(loadCert(new Uint8Array(c.toSchema().toBER(false))));
  }
  const digestOid = signerInfo.digestAlgorithm.algorithmId;
  const digest = DIGESTS[digestOid];
  if (!digest) throw new Error(`thuật toán băm không hỗ trợ (${digestOid})`);
  return {
    signedData,
    signerInfo,
    certificates,
    signer: findSigner(signerInfo, certificates),
    digest,
    digestOid,
  };
}

function findSigner(si: pkijs.SignerInfo, certs: CertInfo[]): CertInfo | undefined {
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const serial = hex(si.sid.serialNumber.valueBlock.valueHexView)
      .replace(/^(00)+(?=.)/, '')
      .toUpperCase();
    const issuer = Buffer.from(si.sid.issuer.toSchema().toBER(false));
    return certs.find((c) => {
      const pc = pkijs.Certificate.fromBER(ab(c.der));
      return (
        hex(pc.serialNumber.valueBlock.valueHexView)
          .replace(/^(00)+(?=.)/, '')
          .toUpperCase() === serial && Buffer.from(pc.issuer.toSchema().toBER(false)).equals(issuer)
      );
    });
  }
  // subjectKeyIdentifier [0]
  const ski = hex((si.sid as asn1js.OctetString).valueBlock.valueHexView);
  return certs.find((c) => {
    const id = ext<asn1js.OctetString>(c, '2.5.29.14');
    return id !== undefined && hex(id.valueBlock.valueHexView) === ski;
  });
}

function attr(si: pkijs.SignerInfo, oid: string, unsigned = false): asn1js.AsnType | undefined {
  const set = unsigned ? si.unsignedAttrs : si.signedAttrs;
  return set?.attributes.find((a) => a.type === oid)?.values[0];
}

/** CRLs carried by the CMS: SignedData.crls and Adobe's revocationInfoArchival signed attribute. */
export function cmsEmbeddedCrls(cms: ParsedCms): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const c of cms.signedData.crls ?? [])
    if (c instanceof pkijs.CertificateRevocationList) out.push(new Uint8Array(c.toSchema().toBER(false)));
  const archival = attr(cms.signerInfo, '1.2.840.113583.1.1.8');
  // RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL, ... }
  if (archival instanceof asn1js.Sequence)
    for (const item of archival.valueBlock.value)
      if (item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 0 && item instanceof asn1js.Constructed) {
        const seq = item.valueBlock.value[0];
        if (seq instanceof asn1js.Sequence)
          for (const crl of seq.valueBlock.value) out.push(new Uint8Array(crl.toBER(false)));
      }
  return out;
}

export function cmsSigningTime(si: pkijs.SignerInfo): Date | undefined {
  const v = attr(si, OID_SIGNING_TIME);
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) return v.toDate();
  return undefined;
}

/** Verifies a raw signature: `sigOid` (+params) from the structure, `digest` when the OID has none. */
export function verifyRaw(
  sigOid: string,
  sigParams: unknown,
  digest: string | undefined,
  spki: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): { ok: boolean; algorithm: string; digest: string } {
  const alg = SIG_ALGS[sigOid];
  if (!alg) throw new Error(`thuật toán chữ ký không hỗ trợ (${sigOid})`);
  const [family, fixed] = alg;
  let d = fixed ?? digest;
  const key = { key: Buffer.from(spki), format: 'der' as const, type: 'spki' as const };
  if (family === 'RSA-PSS') {
    const params = new pkijs.RSASSAPSSParams({ schema: sigParams as asn1js.AsnType });
    d = DIGESTS[params.hashAlgorithm.algorithmId] ?? 'sha1';
    const ok = nodeVerify(
      d,
      data,
      { ...key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
      signature,
    );
    return { ok, algorithm: `RSA-PSS-${d.toUpperCase()}`, digest: d };
  }
  if (!d) throw new Error('thiếu thuật toán băm');
  const ok =
    family === 'ECDSA'
      ? nodeVerify(d, data, { ...key, dsaEncoding: 'der' }, signature)
      : nodeVerify(d, data, key, signature);
  return { ok, algorithm: `${family}-${d.toUpperCase()}`, digest: d };
}

/** Integrity of the content and the CMS signature over the signed attributes. */
export function checkCms(
  cms: ParsedCms,
  signedBytes: Uint8Array,
): { checks: VerificationCheck[]; algorithm?: string; signatureDigest?: string } {
  const checks: VerificationCheck[] = [];
  const si = cms.signerInfo;
  const contentDigest = createHash(cms.digest).update(signedBytes).digest();
  let data: Uint8Array;
  if (si.signedAttrs) {
    const md = attr(si, OID_MESSAGE_DIGEST);
    const mdBytes = md instanceof asn1js.OctetString ? Buffer.from(md.valueBlock.valueHexView) : undefined;
    if (!mdBytes?.equals(contentDigest)) {
      checks.push({
        code: 'INTEGRITY',
        status: 'failed',
        message: 'Giá trị băm của tài liệu không khớp với giá trị đã ký: tài liệu đã bị thay đổi sau khi ký',
      });
    } else
      checks.push({
        code: 'INTEGRITY',
        status: 'ok',
        message: 'Giá trị băm của phần được ký khớp với giá trị đã ký',
      });
    data = new Uint8Array(si.signedAttrs.encodedValue);
  } else {
    data = signedBytes;
  }
  if (!cms.signer) {
    checks.push({
      code: 'CRYPTO',
      status: 'failed',
      message: 'Không tìm thấy chứng thư số của người ký trong chữ ký',
    });
    return { checks };
  }
  try {
    const r = verifyRaw(
      si.signatureAlgorithm.algorithmId,
      si.signatureAlgorithm.algorithmParams,
      cms.digest,
      new Uint8Array(cms.signer.node.publicKey.export({ type: 'spki', format: 'der' })),
      data,
      new Uint8Array(si.signature.valueBlock.valueHexView),
    );
    checks.push(
      r.ok
        ? {
            code: 'CRYPTO',
            status: 'ok',
            message: 'Chữ ký được tạo bằng khóa bí mật tương ứng với chứng thư số của người ký',
          }
        : {
            code: 'CRYPTO',
            status: 'failed',
            message: 'Chữ ký không khớp với khóa công khai trong chứng thư số của người ký',
          },
    );
    return { checks, algorithm: r.algorithm, signatureDigest: r.digest };
  } catch (e) {
    checks.push({
      code: 'CRYPTO',
      status: 'failed',
      message: `Không kiểm tra được chữ ký: ${(e as Error).message}`,
    });
    return { checks };
  }
}

/** Algorithm strength (TT 15/2025 Phụ lục I): SHA-2/3 digests, RSA ≥ 2048, ECDSA ≥ 256. */
export function checkAlgorithms(
  digests: { what: string; digest: string }[],
  signer: CertInfo,
  allowSha1: boolean,
): VerificationCheck {
  const problems: string[] = [];
  let worst: 'ok' | 'warning' | 'failed' = 'ok';
  for (const d of digests) {
    if (d.digest === 'sha1') {
      problems.push(`${d.what} dùng SHA-1 (không còn đủ an toàn)`);
      if (!allowSha1) worst = 'failed';
      else if (worst === 'ok') worst = 'warning';
    }
  }
  const k = signer.node.publicKey;
  const details = k.asymmetricKeyDetails;
  if (
    (k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'rsa-pss') &&
    (details?.modulusLength ?? 0) < 2048
  ) {
    problems.push(`khóa RSA ${details?.modulusLength} bit (yêu cầu tối thiểu 2048 bit)`);
    worst = 'failed';
  }
  if (k.asymmetricKeyType === 'ec') {
    const bits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256 };
    const b = bits[details?.namedCurve ?? ''] ?? 0;
    if (b < 256) {
      problems.push(`khóa ECDSA dưới 256 bit (${details?.namedCurve})`);
      worst = 'failed';
    }
  }
  return problems.length
    ? { code: 'ALGORITHM', status: worst, message: `Thuật toán không đạt yêu cầu: ${problems.join('; ')}` }
    : {
        code: 'ALGORITHM',
        status: 'ok',
        message: 'Thuật toán băm và độ dài khóa đạt yêu cầu (SHA-2, RSA ≥ 2048 / ECDSA ≥ 256 bit)',
      };
}

function certSigDigest(c: CertInfo): string | undefined {
  const pc = pkijs.Certificate.fromBER(ab(c.der));
  const oid = pc.signatureAlgorithm.algorithmId;
  if (oid === '1.2.840.113549.1.1.10') {
    const p = new pkijs.RSASSAPSSParams({ schema: pc.signatureAlgorithm.algorithmParams });
    return DIGESTS[p.hashAlgorithm.algorithmId] ?? 'sha1';
  }
  return SIG_ALGS[oid]?.[1];
}

export interface Chain {
  /** Signer first, up to (and including) the trust anchor when trusted. */
  certs: CertInfo[];
  trusted: boolean;
  anchor?: CertInfo;
}

/** A CA certificate: basicConstraints cA, and keyCertSign when key usage is present. */
const isCa = (c: CertInfo) => {
  if (ext<pkijs.BasicConstraints>(c, '2.5.29.19')?.cA !== true) return false;
  const ku = ext<asn1js.BitString>(c, '2.5.29.15');
  return !ku || ((ku.valueBlock.valueHexView[0] ?? 0) & 0x04) !== 0;
};

/** A certificate allowed to issue timestamps: extendedKeyUsage id-kp-timeStamping. */
export const isTsa = (c: CertInfo) =>
  ext<pkijs.ExtKeyUsage>(c, '2.5.29.37')?.keyPurposes.includes('1.3.6.1.5.5.7.3.8') === true;
const issuedBy = (child: CertInfo, parent: CertInfo) => {
  try {
    return child.node.verify(parent.node.publicKey);
  } catch {
    return false;
  }
};

/** Builds the chain from the signer through the CMS certificates to a trust anchor, by signature. */
export function buildChain(signer: CertInfo, pool: CertInfo[], anchors: CertInfo[]): Chain {
  const certs = [signer];
  let cur = signer;
  for (let depth = 0; depth < 10; depth++) {
    const asAnchor = anchors.find((a) => Buffer.from(a.der).equals(Buffer.from(cur.der)));
    if (asAnchor && depth > 0) return { certs, trusted: true, anchor: asAnchor };
    const anchor = anchors.find((a) => issuedBy(cur, a));
    if (anchor) {
      if (!Buffer.from(anchor.der).equals(Buffer.from(cur.der))) certs.push(anchor);
      return { certs, trusted: true, anchor };
    }
    const next = pool.find((p) => !certs.includes(p) && isCa(p) && issuedBy(cur, p));
    if (!next) break;
    certs.push(next);
    cur = next;
  }
  return { certs, trusted: false };
}

export function chainChecks(chain: Chain): { chain: VerificationCheck; sha1: string[] } {
  const sha1: string[] = [];
  for (const c of chain.certs.slice(0, chain.anchor ? -1 : undefined))
    if (certSigDigest(c) === 'sha1') sha1.push(c.subject);
  if (!chain.trusted)
    return {
      chain: {
        code: 'CHAIN',
        status: 'failed',
        message:
          'Không xây dựng được đường dẫn tin cậy tới chứng thư số gốc được tin cậy (tổ chức cấp chứng thư không nằm trong danh sách tin cậy)',
      },
      sha1,
    };
  return {
    chain: {
      code: 'CHAIN',
      status: 'ok',
      message: `Đường dẫn tin cậy hợp lệ tới chứng thư số gốc: ${chain.anchor?.subject ?? ''}`,
    },
    sha1,
  };
}

export function validityCheck(chain: Chain, signingTime: Date | undefined, now: Date): VerificationCheck {
  const at = signingTime ?? now;
  for (const c of chain.certs) {
    const from = c.notBefore;
    const to = c.notAfter;
    const who = c === chain.certs[0] ? 'Chứng thư số của người ký' : `Chứng thư số ${c.subject}`;
    if (at > to)
      return {
        code: 'VALIDITY',
        status: 'failed',
        message: `${who} đã hết hạn ngày ${formatViDate(to)} (trước thời điểm ký)`,
      };
    if (at < from)
      return {
        code: 'VALIDITY',
        status: 'failed',
        message: `${who} chưa có hiệu lực tại thời điểm ký (hiệu lực từ ${formatViDate(from)})`,
      };
  }
  const signerTo = chain.certs[0]?.notAfter;
  if (signerTo && now > signerTo)
    return {
      code: 'VALIDITY',
      status: 'warning',
      message: `Chứng thư số đã hết hạn ngày ${formatViDate(signerTo)}; còn hiệu lực tại thời điểm ký`,
    };
  return {
    code: 'VALIDITY',
    status: 'ok',
    message: `Chứng thư số còn hiệu lực tại thời điểm ký (đến ${signerTo ? formatViDate(signerTo) : '?'})`,
  };
}

export function keyUsageCheck(signer: CertInfo): VerificationCheck {
  const ku = ext<asn1js.BitString>(signer, '2.5.29.15');
  if (!ku)
    return {
      code: 'KEY_USAGE',
      status: 'warning',
      message: 'Chứng thư số không khai báo mục đích sử dụng khóa',
    };
  // Bit 0 digitalSignature, bit 1 nonRepudiation (contentCommitment).
  const ok = ((ku.valueBlock.valueHexView[0] ?? 0) & 0xc0) !== 0;
  return ok
    ? {
        code: 'KEY_USAGE',
        status: 'ok',
        message: 'Khóa được phép dùng để ký số (digitalSignature/nonRepudiation)',
      }
    : {
        code: 'KEY_USAGE',
        status: 'failed',
        message: 'Chứng thư số không được phép dùng để ký số (thiếu digitalSignature/nonRepudiation)',
      };
}

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];
const REASONS_VI: Record<string, string> = {
  unspecified: 'không nêu lý do',
  keyCompromise: 'lộ khóa bí mật',
  cACompromise: 'tổ chức cấp bị lộ khóa',
  affiliationChanged: 'thay đổi thông tin',
  superseded: 'đã được thay thế',
  cessationOfOperation: 'ngừng hoạt động',
  certificateHold: 'tạm dừng',
  privilegeWithdrawn: 'bị rút quyền',
};

const spkiOf = (c: CertInfo) => new Uint8Array(c.node.publicKey.export({ type: 'spki', format: 'der' }));

/** The status a DER CRL gives `cert`, or undefined when it is unreadable or not signed by `issuer`. */
function crlEvidence(
  cert: CertInfo,
  issuer: CertInfo,
  der: Uint8Array,
  url: string | undefined,
  now: Date | undefined,
): RevocationEvidence | undefined {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(ab(der));
    const sigOk = verifyRaw(
      crl.signatureAlgorithm.algorithmId,
      crl.signatureAlgorithm.algorithmParams,
      undefined,
      spkiOf(issuer),
      new Uint8Array(crl.tbsView),
      new Uint8Array(crl.signatureValue.valueBlock.valueHexView),
    ).ok;
    if (!sigOk) return undefined;
  } catch {
    return undefined;
  }
  const embedded = url === undefined ? { embedded: true } : {};
  const entry = (crl.revokedCertificates ?? []).find(
    (r) => hex(r.userCertificate.valueBlock.valueHexView).toUpperCase() === cert.serial,
  );
  if (entry) {
    const reasonExt = entry.crlEntryExtensions?.extensions.find((e) => e.extnID === '2.5.29.21');
    const reasonVal = reasonExt?.parsedValue as asn1js.Enumerated | undefined;
    return {
      serial: cert.serial,
      source: 'crl',
      url,
      ...embedded,
      status: 'revoked',
      revokedAt: entry.revocationDate.value.toISOString(),
      reason: reasonVal ? REASONS[reasonVal.valueBlock.valueDec] : undefined,
      data: b64(der),
    };
  }
  // A fetched CRL past its nextUpdate proves nothing about the present; an embedded one is
  // the signer's evidence of the status at signing time.
  const stale = now !== undefined && crl.nextUpdate !== undefined && crl.nextUpdate.value < now;
  return {
    serial: cert.serial,
    source: 'crl',
    url,
    ...embedded,
    status: stale ? 'unknown' : 'good',
    data: b64(der),
  };
}

async function crlStatus(
  cert: CertInfo,
  issuer: CertInfo,
  source: RevocationSource,
  now: Date,
): Promise<RevocationEvidence | undefined> {
  const cdp = ext<pkijs.CRLDistributionPoints>(cert, '2.5.29.31');
  const urls: string[] = [];
  for (const dp of cdp?.distributionPoints ?? [])
    if (Array.isArray(dp.distributionPoint)) urls.push(...uris(dp.distributionPoint));
  for (const url of urls.filter((u) => /^https?:/i.test(u))) {
    const der = await source.crl(url).catch(() => null);
    if (!der) continue;
    const ev = crlEvidence(cert, issuer, der, url, now);
    if (ev) return ev;
  }
  return urls.length ? { serial: cert.serial, source: 'crl', url: urls[0], status: 'unknown' } : undefined;
}

async function ocspStatus(
  cert: CertInfo,
  issuer: CertInfo,
  source: RevocationSource,
): Promise<RevocationEvidence | undefined> {
  const aia = ext<pkijs.InfoAccess>(cert, '1.3.6.1.5.5.7.1.1');
  const urls = uris(
    (aia?.accessDescriptions ?? [])
      .filter((a) => a.accessMethod === '1.3.6.1.5.5.7.48.1')
      .map((a) => a.accessLocation),
  ).filter((u) => /^https?:/i.test(u));
  if (urls.length === 0) return undefined;
  const pCert = pkijs.Certificate.fromBER(ab(cert.der));
  const pIssuer = pkijs.Certificate.fromBER(ab(issuer.der));
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(pCert, { hashAlgorithm: 'SHA-1', issuerCertificate: pIssuer });
  const reqDer = new Uint8Array(req.toSchema(true).toBER(false));
  for (const url of urls) {
    const der = await source.ocsp(url, reqDer).catch(() => null);
    if (!der) continue;
    try {
      const resp = pkijs.OCSPResponse.fromBER(ab(der));
      if (resp.responseStatus.valueBlock.valueDec !== 0 || !resp.responseBytes) continue;
      const basic = pkijs.BasicOCSPResponse.fromBER(ab(resp.responseBytes.response.valueBlock.valueHexView));
      // The responder: the issuer itself, or a certificate the issuer delegated OCSP signing to.
      const tbsRaw = new Uint8Array(basic.tbsResponseData.tbsView);
      const candidates = [
        issuer,
        ...(basic.certs ?? []).map((c) => loadCert(new Uint8Array(c.toSchema().toBER(false)))),
      ];
      const responder = candidates.find((c) => {
        if (c !== issuer) {
          const eku = ext<pkijs.ExtKeyUsage>(c, '2.5.29.37');
          if (!issuedBy(c, issuer) || !eku?.keyPurposes.includes('1.3.6.1.5.5.7.3.9')) return false;
        }
        try {
          return verifyRaw(
            basic.signatureAlgorithm.algorithmId,
            basic.signatureAlgorithm.algorithmParams,
            undefined,
            spkiOf(c),
            tbsRaw,
            new Uint8Array(basic.signature.valueBlock.valueHexView),
          ).ok;
        } catch {
          return false;
        }
      });
      if (!responder) continue;
      const st = await basic.getCertificateStatus(pCert, pIssuer);
      if (!st.isForCertificate) continue;
      if (st.status === 1) {
        const single = basic.tbsResponseData.responses[0];
        const rv = single?.certStatus as asn1js.Constructed | undefined;
        const time = rv?.valueBlock.value[0];
        const reasonEl = rv?.valueBlock.value[1] as asn1js.Constructed | undefined;
        const reasonEnum = reasonEl?.valueBlock.value[0] as asn1js.Enumerated | undefined;
        let revokedAt: string | undefined;
        if (time instanceof asn1js.GeneralizedTime) revokedAt = time.toDate().toISOString();
        else if (time && 'valueBlock' in time) {
          const g = new asn1js.GeneralizedTime({
            valueHex: ab((time as asn1js.Primitive).valueBlock.valueHexView),
          });
          revokedAt = g.toDate().toISOString();
        }
        return {
          serial: cert.serial,
          source: 'ocsp',
          url,
          status: 'revoked',
          revokedAt,
          reason: reasonEnum ? REASONS[reasonEnum.valueBlock.valueDec] : undefined,
          data: b64(der),
        };
      }
      return {
        serial: cert.serial,
        source: 'ocsp',
        url,
        status: st.status === 0 ? 'good' : 'unknown',
        data: b64(der),
      };
    } catch {}
  }
  return { serial: cert.serial, source: 'ocsp', url: urls[0], status: 'unknown' };
}

/** Revocation of every certificate of the chain below the anchor: OCSP first, then the CRL. */
export async function revocationCheck(
  chain: Chain,
  source: RevocationSource | undefined,
  signingTime: Date | undefined,
  signingTimeProven: boolean,
  now: Date,
  /** DER CRLs the signature carries (CMS crls, adbe-revocationInfoArchival, the PDF's /DSS). */
  embeddedCrls: Uint8Array[] = [],
): Promise<{ check: VerificationCheck; evidence: RevocationEvidence[] }> {
  const evidence: RevocationEvidence[] = [];
  if (!chain.trusted) {
    return {
      check: {
        code: 'REVOCATION',
        status: 'warning',
        message: 'Không kiểm tra tình trạng thu hồi vì không có đường dẫn tin cậy',
      },
      evidence,
    };
  }
  if (!source && embeddedCrls.length === 0)
    return {
      check: {
        code: 'REVOCATION',
        status: 'warning',
        message: 'Không kiểm tra tình trạng thu hồi (không có nguồn CRL/OCSP)',
      },
      evidence,
    };
  const unknown: string[] = [];
  for (let i = 0; i + 1 < chain.certs.length; i++) {
    const cert = chain.certs[i] as CertInfo;
    const issuer = chain.certs[i + 1] as CertInfo;
    let ev = source ? await ocspStatus(cert, issuer, source) : undefined;
    if (source && (!ev || ev.status === 'unknown')) ev = (await crlStatus(cert, issuer, source, now)) ?? ev;
    if (!ev || ev.status === 'unknown')
      for (const der of embeddedCrls) {
        const e = crlEvidence(cert, issuer, der, undefined, undefined);
        if (e) {
          ev = e;
          break;
        }
      }
    const who = i === 0 ? 'Chứng thư số' : `Chứng thư số của tổ chức cấp ${cert.subject}`;
    if (!ev) {
      unknown.push(`${who}: không có địa chỉ CRL/OCSP`);
      evidence.push({ serial: cert.serial, source: 'none', status: 'unknown' });
      continue;
    }
    evidence.push(ev);
    if (ev.status === 'revoked') {
      const at = ev.revokedAt ? new Date(ev.revokedAt) : undefined;
      const reason = ev.reason ? ` (lý do: ${REASONS_VI[ev.reason] ?? ev.reason})` : '';
      const msg = `${who} đã bị thu hồi ngày ${at ? formatViDate(at) : '?'}${reason}`;
      // Only a proven (time-stamped) signing time before the revocation keeps the signature.
      const before = signingTimeProven && at && signingTime && signingTime < at;
      return {
        check: {
          code: 'REVOCATION',
          status: before ? 'warning' : 'failed',
          message: before ? `${msg}, sau thời điểm ký` : msg,
        },
        evidence,
      };
    }
    if (ev.status === 'unknown') unknown.push(`${who}: không lấy được dữ liệu thu hồi (${ev.url ?? ''})`);
  }
  if (unknown.length)
    return {
      check: {
        code: 'REVOCATION',
        status: 'warning',
        message: `Chưa xác định được tình trạng thu hồi: ${unknown.join('; ')}`,
      },
      evidence,
    };
  return { check: { code: 'REVOCATION', status: 'ok', message: 'Chứng thư số chưa bị thu hồi' }, evidence };
}

/** The RFC 3161 timestamp token in the unsigned attributes, if any and if it matches the signature. */
export function timestampTime(si: pkijs.SignerInfo): Date | undefined {
  const tok = attr(si, OID_TIMESTAMP_TOKEN, true);
  if (!tok) return undefined;
  try {
    const ci = new pkijs.ContentInfo({ schema: tok });
    const sd = new pkijs.SignedData({ schema: ci.content });
    const eci = sd.encapContentInfo.eContent;
    if (!eci) return undefined;
    const tst = pkijs.TSTInfo.fromBER(eci.getValue().slice(0));
    const d = DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId];
    if (!d) return undefined;
    const expected = createHash(d).update(si.signature.valueBlock.valueHexView).digest();
    if (!expected.equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView)))
      return undefined;
    return tst.genTime;
  } catch {
    return undefined;
  }
}

export { b64 };
