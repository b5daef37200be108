/**
 * CMS SignedData (RFC 5652) for PAdES baseline B-B (ETSI EN 319 142-1 §6.3): detached, signed
 * attributes contentType, messageDigest and signingCertificateV2; no signingTime (PAdES uses the
 * signature dictionary's /M).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

function ab(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(ab(der));
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** ESS signingCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256, the default, left out). */
function signingCertificateV2(certDer: Uint8Array, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] }),
        ],
      }),
      cert.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: ab(sha256(certDer)) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The signed attributes in DER order (SET OF sorted by encoding). */
function signedAttributeList(digest: Uint8Array, signerCertDer: Uint8Array): pkijs.Attribute[] {
  const cert = parseCertificate(signerCertDer);
  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: ab(digest) })),
    attribute(OID.signingCertificateV2, signingCertificateV2(signerCertDer, cert)),
  ];
  return attrs
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }))
    .sort((x, y) => compareBytes(x.der, y.der))
    .map((x) => x.a);
}

/** The DER `SET OF Attribute` that the signer signs (RFC 5652 §5.4). */
export function signedAttributesDer(digest: Uint8Array, signerCertDer: Uint8Array): Uint8Array {
  const set = new asn1js.Set({ value: signedAttributeList(digest, signerCertDer).map((a) => a.toSchema()) });
  return new Uint8Array(set.toBER());
}

/** Which CMS signature algorithm fits the certificate's key. */
function signatureAlgorithmFor(cert: pkijs.Certificate): string {
  const alg = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  if (alg === OID.rsaEncryption) return OID.sha256WithRSA;
  if (alg === OID.ecPublicKey) return OID.ecdsaWithSha256;
  throw new Error(`unsupported public key algorithm ${alg}`);
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
  const signer = parseCertificate(signerDer);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: signedAttributeList(digest, signerDer),
    }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: signatureAlgorithmFor(signer),
      ...(signatureAlgorithmFor(signer) === OID.sha256WithRSA ? { algorithmParams: new asn1js.Null() } : {}),
    }),
    signature: new asn1js.OctetString({ valueHex: ab(signatureValue) }),
  });
  if (timestampToken) {
    const token = asn1js.fromBER(ab(timestampToken));
    if (token.offset === -1) throw new Error('the time-stamp token is not DER');
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [attribute(OID.signatureTimeStampToken, token.result)],
    });
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: chain.map(parseCertificate),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({
    contentType: OID.signedData,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

/** The DER SubjectPublicKeyInfo of a certificate. */
export function certificatePublicKey(der: Uint8Array): Uint8Array {
  return new Uint8Array(parseCertificate(der).subjectPublicKeyInfo.toSchema().toBER());
}

/** The subject's common name (for the visible signature text), or null. */
export function subjectCommonName(der: Uint8Array): string | null {
  const cn = parseCertificate(der).subject.typesAndValues.find((t) => t.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : null;
}
