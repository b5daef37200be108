/**
 * RFC 3161 signature time-stamps for PAdES baseline B-T (ETSI EN 319 142-1 §6.3): a TimeStampReq
 * over SHA-256 of the SignerInfo's signature value, and a strict reading of the TimeStampResp, so
 * that a refusal or a wrong answer stops the signing with a clear SignError instead of leaving a
 * token the verifier would ignore. The authority itself is injected (no I/O here).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SignError } from './errors.ts';
import type { TimestampAuthority } from './types.ts';
import { checkCms, hashName, isTsa, type ParsedCms, parseCms } from './verify-cert.ts';

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';

const STATUS_NAMES = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];
/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const FAILURE_NAMES: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

export interface TimestampRequest {
  /** DER TimeStampReq. */
  der: Uint8Array;
  /** SHA-256 of the time-stamped data. */
  imprint: Uint8Array;
  /** The nonce's big-endian bytes (positive, minimal). */
  nonce: Uint8Array;
}

export interface TimestampToken {
  /** DER ContentInfo (SignedData over a TSTInfo), as the authority sent it. */
  token: Uint8Array;
  genTime: Date;
  /** The TSTInfo serial number, hex. */
  serialNumber: string;
  /** The time-stamping certificate's subject. */
  authority: string;
}

const ab = (u: Uint8Array): ArrayBuffer => {
  const c = new Uint8Array(u.byteLength);
  c.set(u);
  return c.buffer;
};
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
/** An INTEGER's content bytes without sign-padding zeros, for comparison. */
const intBytes = (i: asn1js.Integer) => {
  const v = i.valueBlock.valueHexView;
  let s = 0;
  while (s < v.length - 1 && v[s] === 0) s++;
  return hex(v.subarray(s));
};

/** A TimeStampReq over SHA-256(`data`) with a fresh 64-bit nonce, asking for the TSA certificate. */
export function timestampRequest(data: Uint8Array): TimestampRequest {
  const imprint = new Uint8Array(createHash('sha256').update(data).digest());
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID_SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(nonce) }),
    certReq: true,
  });
  return { der: new Uint8Array(req.toSchema().toBER(false)), imprint, nonce };
}

function printable(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.subarray(0, 120)).toString('latin1');
  return /^[\x20-\x7e\t\r\n]+$/.test(text) ? `: "${text.replace(/\s+/g, ' ').trim()}"` : '';
}

function refusal(status: pkijs.PKIStatusInfo): string {
  const name = STATUS_NAMES[status.status] ?? `status ${status.status}`;
  const failures: string[] = [];
  const bits = status.failInfo?.valueBlock.valueHexView;
  if (bits) {
    for (let i = 0; i < bits.length * 8; i++)
      if (((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) failures.push(FAILURE_NAMES[i] ?? `bit ${i}`);
  }
  const text = (status.statusStrings ?? []).map((s) => s.valueBlock.value).join('; ');
  return `the time-stamp authority refused the request: ${name}${failures.length ? ` (${failures.join(', ')})` : ''}${text ? ` — ${text}` : ''}`;
}

/** The ESS signing-certificate attribute (v2 or v1) must name the TSA certificate (RFC 3161 §2.4.1, RFC 5816). */
function essCertMatches(cms: ParsedCms): boolean {
  const signer = cms.signer;
  if (!signer) return false;
  for (const [oid, v2] of [
    [OID_SIGNING_CERTIFICATE_V2, true],
    [OID_SIGNING_CERTIFICATE, false],
  ] as const) {
    const value = cms.signerInfo.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
    if (!value) continue;
    // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), ... }
    const first = ((value as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock
      .value[0] as asn1js.Sequence | undefined;
    const parts = first?.valueBlock.value ?? [];
    let digest = 'sha1';
    let hashField = parts[0];
    if (v2 && parts[0] instanceof asn1js.Sequence) {
      digest = hashName(new pkijs.AlgorithmIdentifier({ schema: parts[0] }).algorithmId) ?? '';
      hashField = parts[1];
    } else if (v2) digest = 'sha256';
    if (!digest || !(hashField instanceof asn1js.OctetString)) return false;
    const expected = createHash(digest).update(signer.der).digest();
    return expected.equals(Buffer.from(hashField.valueBlock.valueHexView));
  }
  return false;
}

/**
 * Reads the authority's DER TimeStampResp to `request` and returns the token, or throws a
 * SignError: not granted, not a TSTInfo token, another imprint or nonce, no TSA certificate, a
 * signature that does not verify, a certificate not meant for time-stamping.
 */
export function readTimestampResponse(response: Uint8Array, request: TimestampRequest): TimestampToken {
  const garbage = () =>
    new SignError(
      `the time-stamp authority's answer is not an RFC 3161 TimeStampResp (${response.length} bytes${printable(response)})`,
    );
  const asn = asn1js.fromBER(ab(response));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) throw garbage();
  let resp: pkijs.TimeStampResp;
  try {
    resp = new pkijs.TimeStampResp({ schema: asn.result });
  } catch {
    throw garbage();
  }
  if (resp.status.status !== 0 && resp.status.status !== 1) throw new SignError(refusal(resp.status));
  const tokenBlock = asn.result.valueBlock.value[1];
  if (!resp.timeStampToken || !tokenBlock)
    throw new SignError('the time-stamp authority granted the request but sent no token');
  if (resp.timeStampToken.contentType !== OID_SIGNED_DATA)
    throw new SignError(`the time-stamp token is not a CMS SignedData (${resp.timeStampToken.contentType})`);
  const token = new Uint8Array(tokenBlock.valueBeforeDecodeView);

  let cms: ParsedCms;
  let tst: pkijs.TSTInfo;
  let content: Uint8Array;
  try {
    cms = parseCms(token);
    const eci = cms.signedData.encapContentInfo;
    if (eci.eContentType !== OID_TST_INFO || !eci.eContent) throw new Error(`content ${eci.eContentType}`);
    content = new Uint8Array(eci.eContent.getValue());
    tst = pkijs.TSTInfo.fromBER(ab(content));
  } catch (e) {
    throw new SignError(`the time-stamp token does not hold a TSTInfo: ${(e as Error).message}`);
  }
  const imprint = tst.messageImprint;
  if (
    imprint.hashAlgorithm.algorithmId !== OID_SHA256 ||
    hex(imprint.hashedMessage.valueBlock.valueHexView) !== hex(request.imprint)
  )
    throw new SignError('the time-stamp token is over other data (its message imprint does not match)');
  if (!tst.nonce || intBytes(tst.nonce) !== hex(request.nonce))
    throw new SignError('the time-stamp token does not answer this request (nonce missing or different)');

  const tsa = cms.signer;
  if (!tsa) throw new SignError('the time-stamp token does not carry the certificate that signed it');
  const failed = checkCms(cms, content).checks.filter((c) => c.status !== 'ok');
  if (failed.length)
    throw new SignError(
      `the time-stamp token's signature does not verify (${failed.map((c) => c.message).join('; ')})`,
    );
  const contentType = cms.signerInfo.signedAttrs?.attributes.find((a) => a.type === OID_CONTENT_TYPE)
    ?.values[0];
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== OID_TST_INFO)
    throw new SignError('the time-stamp token does not sign its content type (id-ct-TSTInfo)');
  if (!essCertMatches(cms))
    throw new SignError(
      'the time-stamp token does not name its signing certificate (ESS signing-certificate)',
    );
  if (!isTsa(tsa))
    throw new SignError(
      `the time-stamp token is signed by a certificate not meant for time-stamping: ${tsa.subject}`,
    );
  if (tst.genTime < tsa.notBefore || tst.genTime > tsa.notAfter)
    throw new SignError(
      `the time-stamp token's time ${tst.genTime.toISOString()} lies outside its certificate's validity`,
    );
  return {
    token,
    genTime: tst.genTime,
    serialNumber: intBytes(tst.serialNumber),
    authority: tsa.subject,
  };
}

/** Asks `authority` for a signature time-stamp over `signatureValue` and checks the answer. */
export async function timestampSignatureValue(
  authority: TimestampAuthority,
  signatureValue: Uint8Array,
): Promise<TimestampToken> {
  const request = timestampRequest(signatureValue);
  let response: Uint8Array;
  try {
    response = await authority(request.der);
  } catch (e) {
    throw new SignError(`the time-stamp authority did not answer: ${(e as Error).message}`);
  }
  return readTimestampResponse(response, request);
}
