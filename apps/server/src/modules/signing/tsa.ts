import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawSigner, TimestampAuthority } from '@congvu/pades';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { Config } from '../../config.ts';
import {
  type CertificateAuthority,
  type IssuedCertificate,
  randomSerial,
  type SubjectPublicKey,
} from './pki.ts';

/**
 * RFC 3161 time-stamping: a local time-stamp authority (for development, tests and the demo;
 * a production deployment points CONGVU_TSA_URL at a licensed TSA), its HTTP transport
 * (application/timestamp-query → application/timestamp-reply, RFC 3161 §3.4) and the HTTP client
 * the server signs with. packages/pades asks for and checks the tokens (PAdES B-T).
 */

const OID = {
  timeStamping: '1.3.6.1.5.5.7.3.8',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** Digests a request may use, with their lengths. */
const IMPRINT_DIGESTS: Record<string, number> = {
  [OID.sha256]: 32,
  '2.16.840.1.101.3.4.2.2': 48, // SHA-384
  '2.16.840.1.101.3.4.2.3': 64, // SHA-512
};

/** The demo TSA's policy: under the joint-iso-itu-t example arc (2.999), so never mistaken for a real one. */
export const DEMO_TSA_POLICY = '2.999.1.1';
export const DEMO_TSA_NAME = 'CongVu Demo TSA';

const TIMESTAMP_QUERY = 'application/timestamp-query';
const TIMESTAMP_REPLY = 'application/timestamp-reply';
const MAX_QUERY_BYTES = 64 * 1024;
const MAX_REPLY_BYTES = 1024 * 1024;

const RSA_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function publicKeyParam(k: SubjectPublicKey): x509.PublicKeyType {
  return k instanceof Uint8Array ? new Uint8Array(k) : k;
}

/**
 * A time-stamping certificate from the CA: extendedKeyUsage id-kp-timeStamping only, critical
 * (RFC 3161 §2.3), digitalSignature.
 */
export async function issueTsaCertificate(
  ca: CertificateAuthority,
  p: { publicKey: SubjectPublicKey; name?: string; organization?: string; notBefore?: Date; days?: number },
): Promise<IssuedCertificate> {
  const notBefore = p.notBefore ?? new Date();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [p.name ?? DEMO_TSA_NAME] }, { O: [p.organization ?? 'CongVu'] }, { C: ['VN'] }],
    issuer: ca.certificate.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (p.days ?? 5 * 365) * 86_400_000),
    publicKey: publicKeyParam(p.publicKey),
    signingKey: ca.privateKey,
    signingAlgorithm: RSA_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([OID.timeStamping], true),
      await x509.SubjectKeyIdentifierExtension.create(publicKeyParam(p.publicKey)),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
    ],
  });
  return { certificate, serialNumber: certificate.serialNumber.toLowerCase() };
}

const ab = (u: Uint8Array): ArrayBuffer => {
  const c = new Uint8Array(u.byteLength);
  c.set(u);
  return c.buffer;
};

/** PKIFailureInfo bit numbers (RFC 3161 §2.4.2). */
const FAILURE = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  systemFailure: 25,
} as const;

class Refusal extends Error {
  constructor(
    readonly failure: keyof typeof FAILURE,
    message: string,
  ) {
    super(message);
  }
}

/** A TimeStampResp with status rejection, the failure bit and a text. */
function rejection(r: Refusal): Uint8Array {
  const bit = FAILURE[r.failure];
  const bytes = new Uint8Array((bit >> 3) + 1);
  bytes[bit >> 3] = 0x80 >> (bit & 7);
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: pkijs.PKIStatus.rejection,
      statusStrings: [new asn1js.Utf8String({ value: r.message })],
      failInfo: new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: 7 - (bit & 7) }),
    }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

function parseRequest(der: Uint8Array, policy: string): pkijs.TimeStampReq {
  const asn = asn1js.fromBER(ab(der));
  let req: pkijs.TimeStampReq;
  try {
    if (asn.offset === -1) throw new Error('not DER');
    req = new pkijs.TimeStampReq({ schema: asn.result });
  } catch {
    throw new Refusal('badDataFormat', 'not a TimeStampReq');
  }
  if (req.version !== 1) throw new Refusal('badRequest', `unsupported version ${req.version}`);
  const alg = req.messageImprint.hashAlgorithm.algorithmId;
  const length = IMPRINT_DIGESTS[alg];
  if (!length) throw new Refusal('badAlg', `unsupported hash algorithm ${alg}`);
  if (req.messageImprint.hashedMessage.valueBlock.valueHexView.length !== length)
    throw new Refusal('badDataFormat', 'the message imprint has the wrong length');
  if (req.reqPolicy && req.reqPolicy !== policy)
    throw new Refusal('unacceptedPolicy', `policy ${req.reqPolicy} is not offered (${policy} is)`);
  if (req.extensions?.length) throw new Refusal('unacceptedExtension', 'extensions are not supported');
  return req;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** contentType, messageDigest and signingCertificateV2 (RFC 5816), in DER order. */
function signedAttributes(content: Uint8Array, cert: pkijs.Certificate, certDer: Uint8Array) {
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(certDer).digest()) }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.Constructed({
                idBlock: { tagClass: 3, tagNumber: 4 },
                value: [cert.issuer.toSchema()],
              }),
            ],
          }),
          cert.serialNumber,
        ],
      }),
    ],
  });
  const attrs = [
    new pkijs.Attribute({
      type: OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: OID.tstInfo })],
    }),
    new pkijs.Attribute({
      type: OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(content).digest()) })],
    }),
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
    }),
  ];
  return attrs
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }))
    .sort((x, y) => compareBytes(x.der, y.der))
    .map((x) => x.a);
}

export interface LocalTsaOptions {
  /** The TSA policy OID put into every token; default DEMO_TSA_POLICY. */
  policy?: string;
  /** The accuracy claimed, in seconds; default 1 (genTime is truncated to the second). */
  accuracySeconds?: number;
  /** The clock; default the system's. */
  now?: () => Date;
}

/**
 * A time-stamp authority in this process: `signer` holds the TSA key (a .p12, a PKCS#11 token)
 * and its chain, the time-stamping certificate first. Malformed or unsupported requests get a
 * `rejection` with the failure bit and a text; so does a signer that fails (systemFailure).
 */
export function localTimestampAuthority(signer: RawSigner, opts: LocalTsaOptions = {}): TimestampAuthority {
  const policy = opts.policy ?? DEMO_TSA_POLICY;
  const accuracy = opts.accuracySeconds ?? 1;
  const now = opts.now ?? (() => new Date());
  return async (request) => {
    let req: pkijs.TimeStampReq;
    try {
      req = parseRequest(request, policy);
    } catch (e) {
      if (e instanceof Refusal) return rejection(e);
      throw e;
    }
    try {
      const chain = await signer.certificateChain();
      const tsaDer = chain[0];
      if (!tsaDer) throw new Error('the TSA has no certificate');
      const tsaCert = pkijs.Certificate.fromBER(ab(tsaDer));
      const genTime = new Date(Math.floor(now().getTime() / 1000) * 1000);
      const tstInfo = new pkijs.TSTInfo({
        version: 1,
        policy,
        messageImprint: req.messageImprint,
        serialNumber: new asn1js.Integer({ valueHex: ab(Buffer.from(randomSerial(), 'hex')) }),
        genTime,
        accuracy: new pkijs.Accuracy({ seconds: accuracy }),
        ...(req.nonce ? { nonce: req.nonce } : {}),
        tsa: new pkijs.GeneralName({ type: 4, value: tsaCert.subject }),
      });
      const content = new Uint8Array(tstInfo.toSchema().toBER(false));
      const attrs = signedAttributes(content, tsaCert, tsaDer);
      const toBeSigned = new asn1js.Set({ value: attrs.map((a) => a.toSchema()) });
      const signature = await signer.sign(new Uint8Array(toBeSigned.toBER(false)));
      const rsa = signer.algorithm === 'RSA-SHA256';
      const signerInfo = new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: tsaCert.issuer, serialNumber: tsaCert.serialNumber }),
        digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
        signatureAlgorithm: new pkijs.AlgorithmIdentifier({
          algorithmId: rsa ? OID.sha256WithRSA : OID.ecdsaWithSha256,
          ...(rsa ? { algorithmParams: new asn1js.Null() } : {}),
        }),
        signature: new asn1js.OctetString({ valueHex: ab(signature) }),
      });
      const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: OID.tstInfo });
      // Set after construction: the constructor would split it into a (BER) constructed string.
      encapContentInfo.eContent = new asn1js.OctetString({ valueHex: ab(content) });
      const signedData = new pkijs.SignedData({
        version: 3, // eContentType is not id-data (RFC 5652 §5.1)
        digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
        encapContentInfo,
        ...(req.certReq ? { certificates: chain.map((c) => pkijs.Certificate.fromBER(ab(c))) } : {}),
        signerInfos: [signerInfo],
      });
      const resp = new pkijs.TimeStampResp({
        status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
        timeStampToken: new pkijs.ContentInfo({
          contentType: OID.signedData,
          content: signedData.toSchema(true),
        }),
      });
      return new Uint8Array(resp.toSchema().toBER(false));
    } catch (e) {
      return rejection(new Refusal('systemFailure', `time-stamping failed: ${(e as Error).message}`));
    }
  };
}

export interface TsaServer {
  /** http://host:port/ — POST time-stamp queries here. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `tsa` over HTTP (RFC 3161 §3.4): POST with content-type application/timestamp-query,
 * answered with application/timestamp-reply. Port 0 (the default) picks a free one.
 */
export function serveTimestampAuthority(
  tsa: TimestampAuthority,
  opts: { host?: string; port?: number } = {},
): Promise<TsaServer> {
  const server = createServer((req, res) => {
    const fail = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
    };
    if (req.method !== 'POST') return fail(405, 'POST a time-stamp query\n', { allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== TIMESTAMP_QUERY) return fail(415, `content-type must be ${TIMESTAMP_QUERY}\n`);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('error', () => res.destroy()); // a client that went away
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_QUERY_BYTES) {
        fail(413, 'query too large\n');
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_QUERY_BYTES) return;
      tsa(new Uint8Array(Buffer.concat(chunks))).then(
        (reply) => res.writeHead(200, { 'content-type': TIMESTAMP_REPLY }).end(Buffer.from(reply)),
        () => fail(500, 'time-stamping failed\n'),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        url: `http://${host}:${port}/`,
        close: () =>
          new Promise<void>((done, failed) => {
            server.close((e) => (e ? failed(e) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * A remote time-stamp authority over HTTP(S) (RFC 3161 §3.4). Transport failures throw with the
 * reason; what the reply holds is for packages/pades to judge.
 */
export function httpTimestampAuthority(url: string, timeoutMs = 10_000): TimestampAuthority {
  if (!/^https?:\/\//i.test(url)) throw new Error(`time-stamp authority URL must be http(s): ${url}`);
  return async (request) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': TIMESTAMP_QUERY, accept: TIMESTAMP_REPLY },
        body: Buffer.from(request),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new Error(`${url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
    }
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    // application/timestamp-response: what some older authorities send.
    if (type !== TIMESTAMP_REPLY && type !== 'application/timestamp-response')
      throw new Error(`${url} answered ${type || 'without a content type'}, not ${TIMESTAMP_REPLY}`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > MAX_REPLY_BYTES) throw new Error(`${url} answered ${body.length} bytes`);
    return body;
  };
}

/** The authority the server time-stamps signatures with: CONGVU_TSA_URL, or none (PAdES B-B). */
export function configuredTimestampAuthority(config: Pick<Config, 'tsaUrl'>): TimestampAuthority | undefined {
  return config.tsaUrl ? httpTimestampAuthority(config.tsaUrl) : undefined;
}
