/**
 * The CMS and certificate half of verification: the signature over the signed attributes, the
 * algorithms, the chain to the trust anchors (by signature, never by name), validity, key usage
 * and revocation (CRL / OCSP through the injected RevocationSource). Pure computation.
 */
import {
  constants,
  createHash,
  createPublicKey,
  type KeyObject,
  X509Certificate as NodeCert,
  verify as nodeVerify,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { children, content, expect, octets, oid, raw, readTlv, TAG, type Tlv } from './der.ts';
import { bufferOf } from './pdf-objects.ts';
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
  /** The subject public key (parsed once per certificate). */
  publicKey: KeyObject;
  /** The DER Name of the issuer and the serial number without leading zero bytes, as a CMS sid names them. */
  issuerName: Uint8Array;
  sidSerial: string;
  /** The same number for certificates with the same bytes (memoised relations between certificates). */
  id: number;
}

/**
 * Parsed certificates by content. Parsing is a pure function of the bytes, so keeping the result
 * cannot change a verification; each load returns a fresh CertInfo (same parsed parts) so that two
 * copies of one certificate stay distinct, as they were when every load parsed.
 */
const certCache = new Map<string, CertInfo>();
let nextCertId = 1;
const CERT_CACHE_SIZE = 1024;

export function loadCert(der: Uint8Array): CertInfo {
  const key = b64(der);
  let c = certCache.get(key);
  if (!c) {
    const own = der.slice();
    const p = pkijs.Certificate.fromBER(ab(own));
    const node = new NodeCert(own);
    const tbs = children(readTlv(own))[0];
    const f = tbs ? children(tbs) : [];
    const issuerTlv = f[f[0]?.tag === 0xa0 ? 3 : 2];
    if (!issuerTlv) throw new Error('chứng thư số không đọc được');
    const serial = hex(p.serialNumber.valueBlock.valueHexView).toUpperCase();
    c = {
      der: own,
      node,
      p,
      subject: nameToString(p.subject),
      issuer: nameToString(p.issuer),
      serial,
      notBefore: p.notBefore.value,
      notAfter: p.notAfter.value,
      publicKey: node.publicKey,
      issuerName: raw(issuerTlv),
      sidSerial: serial.replace(/^(00)+(?=.)/, ''),
      id: nextCertId++,
    };
    if (certCache.size >= CERT_CACHE_SIZE) certCache.delete(certCache.keys().next().value as string);
    certCache.set(key, c);
  }
  return { ...c };
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

/** One attribute of a SignerInfo: its type and its values (DER elements). */
export interface CmsAttribute {
  type: string;
  values: Tlv[];
}

/** What verification reads from the (first) SignerInfo, straight from the DER. */
export interface CmsSignerView {
  sid: { issuer: Uint8Array; serial: string } | { ski: string };
  digestOid: string;
  /** The signed attributes as they were signed: the DER SET OF (the [0] tag turned into SET). */
  signedAttrs?: Uint8Array;
  signed: CmsAttribute[];
  unsigned: CmsAttribute[];
  signatureOid: string;
  /** The signature algorithm's parameters (a DER element), when present. */
  signatureParams?: Uint8Array;
  signature: Uint8Array;
}

export interface ParsedCms {
  /** pkijs objects for the whole structure, built on first use (the hot path does not need them). */
  readonly signedData: pkijs.SignedData;
  readonly signerInfo: pkijs.SignerInfo;
  view: CmsSignerView;
  /** SignedData.crls: the DER CertificateLists. */
  crls: Uint8Array[];
  /** The encapsulated content (a timestamp token's TSTInfo), when present. */
  eContent?: Uint8Array;
  certificates: CertInfo[];
  signer?: CertInfo;
  digest: string;
  digestOid: string;
}

function attributes(t: Tlv | undefined): CmsAttribute[] {
  if (!t) return [];
  return children(t).map((a) => {
    const [type, values] = children(expect(a, TAG.sequence, 'attribute'));
    return {
      type: oid(expect(type, TAG.oid, 'attribute type')),
      values: children(expect(values, TAG.set, 'attribute values')),
    };
  });
}

function algorithm(t: Tlv | undefined, what: string): { oid: string; params?: Uint8Array } {
  const [id, params] = children(expect(t, TAG.sequence, what));
  return { oid: oid(expect(id, TAG.oid, what)), params: params ? raw(params) : undefined };
}

/** The structure of a DER/BER ContentInfo(SignedData), read in place: no certificates loaded. */
function readSignedData(der: Uint8Array): Omit<
  ParsedCms,
  'certificates' | 'signer' | 'signedData' | 'signerInfo'
> & {
  certificateDers: Uint8Array[];
  /** The first element of `der` (the /Contents is zero-padded). */
  element: Uint8Array;
} {
  const ci = readTlv(der);
  const [type, explicit] = children(expect(ci, TAG.sequence, 'ContentInfo'));
  if (oid(expect(type, TAG.oid, 'contentType')) !== pkijs.ContentInfo.SIGNED_DATA)
    throw new Error('CMS không phải SignedData');
  const sd = children(expect(children(expect(explicit, 0xa0, 'content'))[0], TAG.sequence, 'SignedData'));
  const encap = children(expect(sd[2], TAG.sequence, 'encapContentInfo'));
  const eContentTlv = encap[1] ? children(expect(encap[1], 0xa0, 'eContent'))[0] : undefined;
  let at = 3;
  const certificateDers: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  if (sd[at]?.tag === 0xa0) {
    for (const c of children(sd[at] as Tlv)) if (c.tag === TAG.sequence) certificateDers.push(raw(c));
    at++;
  }
  if (sd[at]?.tag === 0xa1) {
    for (const c of children(sd[at] as Tlv)) if (c.tag === TAG.sequence) crls.push(raw(c));
    at++;
  }
  const infos = children(expect(sd[at], TAG.set, 'signerInfos'));
  const si = infos[0];
  if (!si) throw new Error('CMS không có thông tin người ký');
  const f = children(expect(si, TAG.sequence, 'SignerInfo'));
  const sidTlv = f[1];
  let sid: CmsSignerView['sid'];
  if (sidTlv?.tag === TAG.sequence) {
    const [issuer, serial] = children(sidTlv);
    sid = {
      issuer: raw(expect(issuer, TAG.sequence, 'issuer')),
      serial: hex(content(expect(serial, TAG.integer, 'serialNumber')))
        .replace(/^(00)+(?=.)/, '')
        .toUpperCase(),
    };
  } else if (sidTlv && (sidTlv.tag === 0x80 || sidTlv.tag === 0xa0)) sid = { ski: hex(octets(sidTlv)) };
  else throw new Error('ASN.1: sid expected');
  const digestOid = algorithm(f[2], 'digestAlgorithm').oid;
  let i = 3;
  let signedAttrs: Uint8Array | undefined;
  let signedTlv: Tlv | undefined;
  if (f[i]?.tag === 0xa0) {
    signedTlv = f[i++] as Tlv;
    signedAttrs = raw(signedTlv).slice();
    signedAttrs[0] = TAG.set;
  }
  const sigAlg = algorithm(f[i++], 'signatureAlgorithm');
  const signature = octets(expect(f[i++], TAG.octetString, 'signature'));
  const unsignedTlv = f[i]?.tag === 0xa1 ? f[i] : undefined;
  const digest = DIGESTS[digestOid];
  if (!digest) throw new Error(`thuật toán băm không hỗ trợ (${digestOid})`);
  return {
    element: raw(ci),
    view: {
      sid,
      digestOid,
      signedAttrs,
      signed: attributes(signedTlv),
      unsigned: attributes(unsignedTlv),
      signatureOid: sigAlg.oid,
      signatureParams: sigAlg.params,
      signature,
    },
    crls,
    eContent: eContentTlv ? octets(eContentTlv) : undefined,
    certificateDers,
    digest,
    digestOid,
  };
}

export function parseCms(der: Uint8Array): ParsedCms {
  const r = readSignedData(der);
  const certificates = r.certificateDers.map(loadCert);
  let pk: { signedData: pkijs.SignedData; signerInfo: pkijs.SignerInfo } | undefined;
  const full = () => {
    if (!pk) {
      const asn = asn1js.fromBER(ab(r.element));
      if (asn.offset === -1) throw new Error('CMS không đọc được');
      const signedData = new pkijs.SignedData({
        schema: new pkijs.ContentInfo({ schema: asn.result }).content,
      });
      pk = { signedData, signerInfo: signedData.signerInfos[0] as pkijs.SignerInfo };
    }
    return pk;
  };
  return {
    get signedData() {
      return full().signedData;
    },
    get signerInfo() {
      return full().signerInfo;
    },
    view: r.view,
    crls: r.crls,
    eContent: r.eContent,
    certificates,
    signer: findSigner(r.view, certificates),
    digest: r.digest,
    digestOid: r.digestOid,
  };
}

function findSigner(v: CmsSignerView, certs: CertInfo[]): CertInfo | undefined {
  const sid = v.sid;
  if ('issuer' in sid) {
    const issuer = bufferOf(sid.issuer);
    return certs.find((c) => c.sidSerial === sid.serial && issuer.equals(c.issuerName));
  }
  return certs.find((c) => {
    const id = ext<asn1js.OctetString>(c, '2.5.29.14');
    return id !== undefined && hex(id.valueBlock.valueHexView) === sid.ski;
  });
}

function attr(cms: ParsedCms, oid: string, unsigned = false): Tlv | undefined {
  return (unsigned ? cms.view.unsigned : cms.view.signed).find((a) => a.type === oid)?.values[0];
}

/** CRLs carried by the CMS: SignedData.crls and Adobe's revocationInfoArchival signed attribute. */
export function cmsEmbeddedCrls(cms: ParsedCms): Uint8Array[] {
  const out = [...cms.crls];
  const archival = attr(cms, '1.2.840.113583.1.1.8');
  // RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL, ... }
  if (archival?.tag === TAG.sequence)
    for (const item of children(archival))
      if (item.tag === 0xa0) {
        const seq = children(item)[0];
        if (seq?.tag === TAG.sequence) for (const crl of children(seq)) out.push(raw(crl));
      }
  return out;
}

/** A UTCTime or GeneralizedTime element as a Date (asn1js's reading of the time formats). */
function asnTime(t: Tlv | undefined): Date | undefined {
  if (!t || (t.tag !== TAG.utcTime && t.tag !== TAG.generalizedTime)) return undefined;
  const v = asn1js.fromBER(ab(raw(t))).result;
  return v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime ? v.toDate() : undefined;
}

export function cmsSigningTime(cms: ParsedCms): Date | undefined {
  return asnTime(attr(cms, OID_SIGNING_TIME));
}

/** Verifies a raw signature: `sigOid` (+params) from the structure, `digest` when the OID has none. */
export function verifyRaw(
  sigOid: string,
  sigParams: unknown,
  digest: string | undefined,
  spki: Uint8Array | KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): { ok: boolean; algorithm: string; digest: string } {
  const alg = SIG_ALGS[sigOid];
  if (!alg) throw new Error(`thuật toán chữ ký không hỗ trợ (${sigOid})`);
  const [family, fixed] = alg;
  let d = fixed ?? digest;
  const key =
    spki instanceof Uint8Array
      ? createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })
      : spki;
  if (family === 'RSA-PSS') {
    // Parameters as a DER element (read in place) or as asn1js (from pkijs structures).
    const schema = sigParams instanceof Uint8Array ? asn1js.fromBER(ab(sigParams)).result : sigParams;
    const params = new pkijs.RSASSAPSSParams({ schema: schema as asn1js.AsnType });
    d = DIGESTS[params.hashAlgorithm.algorithmId] ?? 'sha1';
    const ok = nodeVerify(
      d,
      data,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
      signature,
    );
    return { ok, algorithm: `RSA-PSS-${d.toUpperCase()}`, digest: d };
  }
  if (!d) throw new Error('thiếu thuật toán băm');
  const ok =
    family === 'ECDSA'
      ? nodeVerify(d, data, { key, dsaEncoding: 'der' }, signature)
      : nodeVerify(d, data, key, signature);
  return { ok, algorithm: `${family}-${d.toUpperCase()}`, digest: d };
}

/**
 * Integrity of the content and the CMS signature over the signed attributes. `signedBytes` may
 * be given in parts (the two byte ranges of a PDF signature), hashed without joining them.
 */
export function checkCms(
  cms: ParsedCms,
  signedBytes: Uint8Array | Uint8Array[],
): { checks: VerificationCheck[]; algorithm?: string; signatureDigest?: string } {
  const checks: VerificationCheck[] = [];
  const v = cms.view;
  const parts = Array.isArray(signedBytes) ? signedBytes : [signedBytes];
  const h = createHash(cms.digest);
  for (const part of parts) h.update(part);
  const contentDigest = h.digest();
  let data: Uint8Array;
  if (v.signedAttrs) {
    const md = attr(cms, OID_MESSAGE_DIGEST);
    const mdBytes = md && (md.tag === TAG.octetString || md.tag === 0x24) ? bufferOf(octets(md)) : undefined;
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
    data = v.signedAttrs;
  } else {
    data = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
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
      v.signatureOid,
      v.signatureParams,
      cms.digest,
      cms.signer.publicKey,
      data,
      v.signature,
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
  const k = signer.publicKey;
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
  const pc = c.p;
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
/**
 * Whether `parent`'s key signed `child`. Remembered per pair of certificate contents (a pure
 * function of the two certificates' bytes), so a known chain is not re-verified for every document.
 */
const issuedByCache = new Map<string, boolean>();
const issuedBy = (child: CertInfo, parent: CertInfo) => {
  const key = `${child.id}:${parent.id}`;
  let ok = issuedByCache.get(key);
  if (ok === undefined) {
    try {
      ok = child.node.verify(parent.publicKey);
    } catch {
      ok = false;
    }
    if (issuedByCache.size >= 4096) issuedByCache.clear();
    issuedByCache.set(key, ok);
  }
  return ok;
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
      issuer.publicKey,
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
            c.publicKey,
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

/**
 * Revocation of one certificate against the certificate that issued it, for signatures outside a
 * PDF (the XMLDSig of an exchange envelope): OCSP first, then the CRL, through `source`, exactly
 * as for a PDF signer. No proven signing time: a revocation at any date counts. The caller has
 * established that `issuerDer` issued `certDer` (a trust anchor); otherwise this throws.
 */
export async function certificateRevocation(
  certDer: Uint8Array,
  issuerDer: Uint8Array,
  source: RevocationSource | undefined,
  now: Date = new Date(),
): Promise<{ status: 'good' | 'revoked' | 'unknown'; message: string; evidence: RevocationEvidence[] }> {
  const cert = loadCert(certDer);
  const issuer = loadCert(issuerDer);
  if (!issuedBy(cert, issuer))
    throw new Error('certificateRevocation: the issuer did not sign the certificate');
  const chain: Chain = { certs: [cert, issuer], trusted: true, anchor: issuer };
  const r = await revocationCheck(chain, source, undefined, false, now);
  const status = r.check.status === 'ok' ? 'good' : r.check.status === 'failed' ? 'revoked' : 'unknown';
  return { status, message: r.check.message, evidence: r.evidence };
}

/** The RFC 3161 signature timestamp token (DER) among the unsigned attributes, if any. */
export function timestampToken(cms: ParsedCms): Uint8Array | undefined {
  const tok = attr(cms, OID_TIMESTAMP_TOKEN, true);
  return tok ? raw(tok) : undefined;
}

/** The time of the RFC 3161 timestamp token in the unsigned attributes, if any and if it matches the signature. */
export function timestampTime(cms: ParsedCms): Date | undefined {
  const tok = timestampToken(cms);
  if (!tok) return undefined;
  try {
    const eci = readSignedData(tok).eContent;
    if (!eci) return undefined;
    const tst = pkijs.TSTInfo.fromBER(ab(eci));
    const d = DIGESTS[tst.messageImprint.hashAlgorithm.algorithmId];
    if (!d) return undefined;
    const expected = createHash(d).update(cms.view.signature).digest();
    if (!expected.equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView)))
      return undefined;
    return tst.genTime;
  } catch {
    return undefined;
  }
}

export { b64 };
