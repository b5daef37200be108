import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';

/**
 * A demo PKI for development, tests and demonstrations: a self-signed root CA that issues
 * signing certificates to officials and agencies, CRLs, and PKCS#12 files. Real signing
 * certificates come from a licensed CA (TT 15/2025 and its predecessors); nothing here is meant
 * for production trust.
 */

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA_ALG = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
} as const;

/** id-kp-documentSigning (RFC 9336). */
export const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';
export const DEMO_CA_NAME = 'CongVu Demo Root CA';

export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface IssuedCertificate {
  certificate: x509.X509Certificate;
  /** Lowercase hex, as in a CRL entry. */
  serialNumber: string;
}

/** An RSA key pair for RSASSA-PKCS1-v1_5 with SHA-256; extractable so it can go into a .p12. */
export async function generateRsaKeyPair(modulusLength: 2048 | 3072 | 4096 = 2048): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ ...RSA_ALG, modulusLength }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

/** A positive 16-byte serial number, random (CA/B baseline: at least 64 bits of entropy). */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x01;
  return b.toString('hex');
}

function addYears(d: Date, years: number): Date {
  const r = new Date(d);
  r.setUTCFullYear(r.getUTCFullYear() + years);
  return r;
}

export async function createRootCa(
  opts: { name?: string; modulusLength?: 2048 | 3072; years?: number; now?: Date } = {},
): Promise<CertificateAuthority & { keys: CryptoKeyPair }> {
  const keys = await generateRsaKeyPair(opts.modulusLength ?? 3072);
  const now = opts.now ?? new Date();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [opts.name ?? DEMO_CA_NAME] }, { O: ['CongVu'] }, { C: ['VN'] }],
    notBefore: now,
    notAfter: addYears(now, opts.years ?? 10),
    keys,
    signingAlgorithm: RSA_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey, keys };
}

/** The subject's public key: a WebCrypto key or a DER SubjectPublicKeyInfo (e.g. read from a token). */
export type SubjectPublicKey = CryptoKey | Uint8Array;

function publicKeyParam(k: SubjectPublicKey): x509.PublicKeyType {
  return k instanceof Uint8Array ? new Uint8Array(k) : k;
}

interface IssueCommon {
  publicKey: SubjectPublicKey;
  /** CRL distribution point put into the certificate. */
  crlUrl?: string;
  notBefore?: Date;
  /** Validity in days; default 3 years. */
  days?: number;
  serialNumber?: string;
}

async function issue(
  ca: CertificateAuthority,
  subject: x509.JsonName,
  p: IssueCommon,
  extra: x509.Extension[] = [],
): Promise<IssuedCertificate> {
  const serialNumber = p.serialNumber ?? randomSerial();
  const notBefore = p.notBefore ?? new Date();
  const notAfter = new Date(notBefore.getTime() + (p.days ?? 3 * 365) * 86_400_000);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection, EKU_DOCUMENT_SIGNING], false),
    await x509.SubjectKeyIdentifierExtension.create(publicKeyParam(p.publicKey)),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
    ...extra,
  ];
  if (p.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([p.crlUrl]));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: ca.certificate.subject,
    notBefore,
    notAfter,
    publicKey: publicKeyParam(p.publicKey),
    signingKey: ca.privateKey,
    signingAlgorithm: RSA_ALG,
    extensions,
  });
  return { certificate, serialNumber: certificate.serialNumber.toLowerCase() };
}

/** An official's signing certificate: CN = full name, O = agency, C = VN. */
export function issueOfficialCertificate(
  ca: CertificateAuthority,
  p: IssueCommon & { fullName: string; agencyName: string; unit?: string; email?: string },
): Promise<IssuedCertificate> {
  const subject: x509.JsonName = [{ CN: [p.fullName] }];
  if (p.unit) subject.push({ OU: [p.unit] });
  subject.push({ O: [p.agencyName] }, { C: ['VN'] });
  const extra = p.email
    ? [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: p.email }])]
    : [];
  return issue(ca, subject, p, extra);
}

/** An agency's certificate (the seal's signature): CN = agency name, OU = unit, O = parent or itself. */
export function issueAgencyCertificate(
  ca: CertificateAuthority,
  p: IssueCommon & { agencyName: string; unit?: string; parentName?: string },
): Promise<IssuedCertificate> {
  const subject: x509.JsonName = [{ CN: [p.agencyName] }];
  if (p.unit) subject.push({ OU: [p.unit] });
  subject.push({ O: [p.parentName ?? p.agencyName] }, { C: ['VN'] });
  return issue(ca, subject, p);
}

export type RevocationReason = keyof typeof x509.X509CrlReason;

export interface RevokedEntry {
  /** Hex serial number. */
  serialNumber: string;
  date: Date;
  reason: RevocationReason;
}

/** A DER CRL signed by the CA; `crlNumber` increases with every CRL issued. */
export async function createCrl(
  ca: CertificateAuthority,
  revoked: RevokedEntry[],
  opts: { thisUpdate?: Date; nextUpdate?: Date; crlNumber?: number } = {},
): Promise<Uint8Array> {
  const thisUpdate = opts.thisUpdate ?? new Date();
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.certificate.subject,
    thisUpdate,
    nextUpdate: opts.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86_400_000),
    signingAlgorithm: RSA_ALG,
    signingKey: ca.privateKey,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
      new x509.Extension('2.5.29.20', false, crlNumberValue(opts.crlNumber ?? 1)),
    ],
    entries: revoked.map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: r.date,
      reason: x509.X509CrlReason[r.reason],
    })),
  });
  return new Uint8Array(crl.rawData);
}

/** DER INTEGER of a small non-negative number (the CRLNumber extension value). */
function crlNumberValue(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`invalid CRL number ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

/**
 * A PKCS#12 file with the key (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC), the certificates in
 * clear (as OpenSSL 3 writes them by default) and an HMAC-SHA256 MAC, so `openssl pkcs12` of
 * OpenSSL 3 reads it without `-legacy`. RSA keys only (node-forge's limit).
 */
export async function toPkcs12(p: {
  privateKey: CryptoKey;
  /** The holder's certificate first, then the chain. */
  chain: x509.X509Certificate[];
  password: string;
  friendlyName?: string;
  iterations?: number;
}): Promise<Uint8Array> {
  const iterations = p.iterations ?? 2048; // OpenSSL 3's default for both
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', p.privateKey));
  const key = forge.pki.privateKeyFromAsn1(forge.asn1.fromDer(binary(pkcs8))) as forge.pki.rsa.PrivateKey;
  const certs = p.chain.map((c) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(binary(c.rawData))));
  // PBKDF2 takes the password's UTF-8 bytes; the PKCS#12 MAC key derivation its BMPString.
  const pfx = forge.pkcs12.toPkcs12Asn1(key, certs, forge.util.encodeUtf8(p.password), {
    algorithm: 'aes256',
    count: iterations,
    saltSize: 16,
    useMac: false,
    ...(p.friendlyName ? { friendlyName: p.friendlyName } : {}),
    // Passed through to encryptPrivateKeyInfo (missing from the type definitions).
    ...({ prfAlgorithm: 'sha256' } as object),
  });
  // pfx = SEQUENCE { version, ContentInfo { OID data, [0] { OCTET STRING authSafe } } }
  const contentInfo = (pfx.value as forge.asn1.Asn1[])[1];
  const wrapped = (contentInfo?.value as forge.asn1.Asn1[] | undefined)?.[1];
  const authSafe = (wrapped?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value;
  if (typeof authSafe !== 'string') throw new Error('PKCS#12: unexpected PFX structure from node-forge');
  const salt = forge.random.getBytesSync(16);
  const macKey = forge.pkcs12.generateKey(
    p.password,
    forge.util.createBuffer(salt),
    3,
    iterations,
    32,
    forge.md.sha256.create(),
  );
  const hmac = forge.hmac.create();
  hmac.start('sha256', macKey.getBytes());
  hmac.update(authSafe);
  const { asn1 } = forge;
  const U = asn1.Class.UNIVERSAL;
  (pfx.value as forge.asn1.Asn1[]).push(
    asn1.create(U, asn1.Type.SEQUENCE, true, [
      asn1.create(U, asn1.Type.SEQUENCE, true, [
        asn1.create(U, asn1.Type.SEQUENCE, true, [
          asn1.create(U, asn1.Type.OID, false, asn1.oidToDer('2.16.840.1.101.3.4.2.1').getBytes()),
          asn1.create(U, asn1.Type.NULL, false, ''),
        ]),
        asn1.create(U, asn1.Type.OCTETSTRING, false, hmac.digest().getBytes()),
      ]),
      asn1.create(U, asn1.Type.OCTETSTRING, false, salt),
      asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(iterations).getBytes()),
    ]),
  );
  return Buffer.from(asn1.toDer(pfx).getBytes(), 'binary');
}

function binary(b: ArrayBuffer | Uint8Array): string {
  return Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('binary');
}

/** PEM of the CA key, PKCS#8 encrypted with AES-256-CBC under `password`. */
export async function exportCaKey(ca: CertificateAuthority, password: string): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', ca.privateKey));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password })
    .toString();
}

/** The CA back from its certificate PEM and its encrypted key PEM (from `exportCaKey`). */
export async function loadCa(
  certificatePem: string,
  keyPem: string,
  password: string,
): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(certificatePem);
  const der = createPrivateKey({ key: keyPem, format: 'pem', passphrase: password }).export({
    type: 'pkcs8',
    format: 'der',
  });
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    der,
    { name: RSA_ALG.name, hash: 'SHA-256' },
    true,
    ['sign'],
  );
  return { certificate, privateKey };
}
