/**
 * CMS SignedData (RFC 5652) for PAdES baseline B-B (ETSI EN 319 142-1 §6.3): detached, signed
 * attributes contentType, messageDigest and signingCertificateV2; no signingTime (PAdES uses the
 * signature dictionary's /M). Encoded directly in DER (der.ts): the structure is fixed, and the
 * certificate fields it needs (issuer, serial number, public key) are slices of the certificate.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import { children, DER_NULL, derOid, derSmallInt, expect, oid, raw, readTlv, TAG, tlv } from './der.ts';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der.slice().buffer as ArrayBuffer);
}

/** What signing needs from a certificate: DER slices of its fields, its hash and its public key. */
export interface CertificateFields {
  /** The DER Name of the issuer. */
  issuer: Uint8Array;
  /** The DER INTEGER serial number. */
  serial: Uint8Array;
  /** The DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  spkiAlgorithm: string;
  /** SHA-256 of the whole certificate (ESSCertIDv2). */
  hash: Uint8Array;
  publicKey: KeyObject;
}

const fieldsCache = new Map<string, CertificateFields & { der: Buffer }>();
const lastSeen = new WeakMap<Uint8Array, CertificateFields & { der: Buffer }>();

/**
 * The fields of a DER certificate. Kept by content (a pure function of the bytes), so that signing
 * many documents with one certificate reads it once; the array last passed is recognised without
 * re-keying, after a byte comparison (the caller may have changed its content).
 */
export function certificateFields(der: Uint8Array): CertificateFields {
  const bytes = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const seen = lastSeen.get(der);
  if (seen?.der.equals(bytes)) return seen;
  const key = bytes.toString('base64');
  const hit = fieldsCache.get(key);
  if (hit) {
    lastSeen.set(der, hit);
    return hit;
  }
  const cert = readTlv(der);
  const tbs = expect(children(cert)[0], TAG.sequence, 'tbsCertificate');
  const f = children(tbs);
  const at = f[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const spkiTlv = expect(f[at + 5], TAG.sequence, 'subjectPublicKeyInfo');
  const spki = raw(spkiTlv).slice();
  const fields = {
    der: Buffer.from(bytes),
    serial: raw(expect(f[at], TAG.integer, 'serialNumber')).slice(),
    issuer: raw(expect(f[at + 2], TAG.sequence, 'issuer')).slice(),
    spki,
    spkiAlgorithm: oid(
      expect(children(expect(children(spkiTlv)[0], TAG.sequence, 'algorithm'))[0], TAG.oid, 'algorithm'),
    ),
    hash: sha256(der),
    publicKey: createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }),
  };
  if (fieldsCache.size >= 256) fieldsCache.delete(fieldsCache.keys().next().value as string);
  fieldsCache.set(key, fields);
  lastSeen.set(der, fields);
  return fields;
}

const attribute = (type: string, value: Uint8Array) => tlv(TAG.sequence, derOid(type), tlv(TAG.set, value));

/** ESS signingCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256, the default, left out). */
function signingCertificateV2(cert: CertificateFields): Uint8Array {
  const issuerSerial = tlv(TAG.sequence, tlv(TAG.sequence, tlv(0xa4, cert.issuer)), cert.serial);
  const essCertIdV2 = tlv(TAG.sequence, tlv(TAG.octetString, cert.hash), issuerSerial);
  return tlv(TAG.sequence, tlv(TAG.sequence, essCertIdV2));
}

/** The signed attributes' encodings in DER order (SET OF sorted by encoding). */
function signedAttributeList(digest: Uint8Array, cert: CertificateFields): Uint8Array[] {
  return [
    attribute(OID.contentType, derOid(OID.data)),
    attribute(OID.messageDigest, tlv(TAG.octetString, digest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(cert)),
  ].sort((x, y) => Buffer.compare(x, y));
}

/** What every signature by one certificate shares, computed once per certificate. */
interface SignerPieces {
  /** The signed attributes with a zero SHA-256 digest, and where the digest goes. */
  attrsTemplate: Uint8Array;
  digestAt: number;
  /** SignerIdentifier issuerAndSerialNumber. */
  sid: Uint8Array;
}

const piecesCache = new WeakMap<CertificateFields, SignerPieces>();

function signerPieces(cert: CertificateFields): SignerPieces {
  let pieces = piecesCache.get(cert);
  if (pieces) return pieces;
  // The order of the SET OF does not depend on the digest's value: the messageDigest attribute
  // has a fixed length and header, and each comparison with it is decided by the length octet
  // or the attribute type, both before the digest.
  const list = signedAttributeList(new Uint8Array(32), cert);
  const attrsTemplate = tlv(TAG.set, ...list);
  // The attribute is [SEQUENCE, OID, SET, OCTET STRING header, digest]: the digest ends it.
  let at = attrsTemplate.length;
  for (const attr of list) at -= attr.length;
  for (const attr of list) {
    if (attr[0] === TAG.sequence && attr.length === 49 && oid(readTlv(attr, 2)) === OID.messageDigest) break;
    at += attr.length;
  }
  if (at >= attrsTemplate.length) throw new Error('messageDigest attribute missing');
  pieces = {
    attrsTemplate,
    digestAt: at + 17,
    sid: tlv(TAG.sequence, cert.issuer, cert.serial),
  };
  piecesCache.set(cert, pieces);
  return pieces;
}

/** The DER `SET OF Attribute` that the signer signs (RFC 5652 §5.4). */
export function signedAttributesDer(digest: Uint8Array, signerCertDer: Uint8Array): Uint8Array {
  const cert = certificateFields(signerCertDer);
  if (digest.length !== 32) return tlv(TAG.set, ...signedAttributeList(digest, cert));
  const { attrsTemplate, digestAt } = signerPieces(cert);
  const out = attrsTemplate.slice();
  out.set(digest, digestAt);
  return out;
}

/** The AlgorithmIdentifier of the CMS signature that fits the certificate's key. */
function signatureAlgorithmFor(cert: CertificateFields): Uint8Array {
  if (cert.spkiAlgorithm === OID.rsaEncryption) return tlv(TAG.sequence, derOid(OID.sha256WithRSA), DER_NULL);
  if (cert.spkiAlgorithm === OID.ecPublicKey) return tlv(TAG.sequence, derOid(OID.ecdsaWithSha256));
  throw new Error(`unsupported public key algorithm ${cert.spkiAlgorithm}`);
}

/**
 * The DER ContentInfo(SignedData) for a detached signature over data whose SHA-256 is `digest`.
 * `chain` holds DER certificates, the signer's first. `timestampToken` (a DER RFC 3161 token over
 * the signature value) becomes the unsigned signatureTimeStampToken attribute (PAdES B-T).
 */
export function buildSignedData(
  digest: Uint8Array,
  signatureValue: Uint8Array,
  chain: Uint8Array[],
  timestampToken?: Uint8Array,
): Uint8Array {
  const signerDer = chain[0];
  if (!signerDer) throw new Error('empty certificate chain');
  return signedDataFor(signedAttributesDer(digest, signerDer), signatureValue, chain, timestampToken);
}

/** `buildSignedData` from the DER SET OF signed attributes that was signed. */
export function signedDataFor(
  signedAttributes: Uint8Array,
  signatureValue: Uint8Array,
  chain: Uint8Array[],
  timestampToken?: Uint8Array,
): Uint8Array {
  const signerDer = chain[0];
  if (!signerDer) throw new Error('empty certificate chain');
  const cert = certificateFields(signerDer);
  const signer = signerPieces(cert);
  // [0] IMPLICIT SignedAttributes: the same encoding under another tag.
  const implicitAttrs = signedAttributes.slice();
  implicitAttrs[0] = 0xa0;
  const sha256Id = tlv(TAG.sequence, derOid(OID.sha256));
  const signerInfo = tlv(
    TAG.sequence,
    derSmallInt(1),
    signer.sid,
    sha256Id,
    implicitAttrs,
    signatureAlgorithmFor(cert),
    tlv(TAG.octetString, signatureValue),
    ...(timestampToken ? [tlv(0xa1, attribute(OID.signatureTimeStampToken, timestampToken))] : []),
  );
  const signedData = tlv(
    TAG.sequence,
    derSmallInt(1),
    tlv(TAG.set, sha256Id),
    tlv(TAG.sequence, derOid(OID.data)),
    tlv(0xa0, ...chain),
    tlv(TAG.set, signerInfo),
  );
  return tlv(TAG.sequence, derOid(OID.signedData), tlv(0xa0, signedData));
}

/** The DER SubjectPublicKeyInfo of a certificate. */
export function certificatePublicKey(der: Uint8Array): Uint8Array {
  return certificateFields(der).spki;
}

/** The subject's common name (for the visible signature text), or null. */
export function subjectCommonName(der: Uint8Array): string | null {
  const cn = parseCertificate(der).subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : null;
}
