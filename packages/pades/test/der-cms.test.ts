import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSignedData, signedAttributesDer } from '../src/cms.ts';
import { children, content, derOid, octets, oid, raw, readTlv, tlv } from '../src/der.ts';
import { p12Signer, rsaSha256 } from '../src/p12.ts';
import { formatViDateTime } from '../src/report.ts';
import { loadCert, parseCms } from '../src/verify-cert.ts';
import { makePki, type Pki } from './helpers.ts';

let pki: Pki;
let rsaChain: Uint8Array[];
let ecChain: Uint8Array[];

beforeAll(async () => {
  pki = await makePki();
  rsaChain = await p12Signer(await pki.p12('Nguyễn Văn An', 'pw'), 'pw').certificateChain();
  ecChain = await p12Signer(pki.ecP12('Chữ ký EC', 'pw'), 'pw').certificateChain();
}, 60_000);

const ab = (b: Uint8Array) => b.slice().buffer as ArrayBuffer;

/** The same CMS as cms.ts builds, made with pkijs (the encoder cms.ts replaced). */
function pkijsSignedData(digest: Uint8Array, value: Uint8Array, chain: Uint8Array[]): Uint8Array {
  const cert = pkijs.Certificate.fromBER(ab(chain[0]!));
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(chain[0]!).digest()) }),
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
      type: '1.2.840.113549.1.9.3',
      values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
    }),
    new pkijs.Attribute({
      type: '1.2.840.113549.1.9.4',
      values: [new asn1js.OctetString({ valueHex: ab(digest) })],
    }),
    new pkijs.Attribute({
      type: '1.2.840.113549.1.9.16.2.47',
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
    }),
  ]
    .map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }))
    .sort((x, y) => Buffer.compare(x.der, y.der))
    .map((x) => x.a);
  const rsa = cert.subjectPublicKeyInfo.algorithm.algorithmId === '1.2.840.113549.1.1.1';
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs }),
    signatureAlgorithm: new pkijs.AlgorithmIdentifier(
      rsa
        ? { algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() }
        : { algorithmId: '1.2.840.10045.4.3.2' },
    ),
    signature: new asn1js.OctetString({ valueHex: ab(value) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: chain.map((c) => pkijs.Certificate.fromBER(ab(c))),
    signerInfos: [signerInfo],
  });
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) })
      .toSchema()
      .toBER(),
  );
}

describe('DER reader and writer', () => {
  it('reads definite (short and long form) and indefinite (BER) lengths, and high tag numbers', () => {
    const long = tlv(0x04, new Uint8Array(300).fill(7));
    expect([...long.subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
    const t = readTlv(long);
    expect(content(t)).toHaveLength(300);
    expect(t.end).toBe(304);
    // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "c" }, INTEGER 5 } + padding
    const ber = Uint8Array.from([
      0x30, 0x80, 0x24, 0x80, 0x04, 0x02, 0x61, 0x62, 0x04, 0x01, 0x63, 0x00, 0x00, 0x02, 0x01, 0x05, 0x00,
      0x00, 0x00, 0x00,
    ]);
    const seq = readTlv(ber);
    expect(seq.end).toBe(18);
    const [os, int] = children(seq);
    expect(Buffer.from(octets(os!)).toString()).toBe('abc');
    expect([...content(int!)]).toEqual([5]);
    const high = readTlv(Uint8Array.from([0x9f, 0x81, 0x00, 0x01, 0xff]));
    expect(high.tagNumber).toBe(128);
    expect(() => readTlv(Uint8Array.from([0x30, 0x05, 0x02, 0x01]))).toThrow(/longer than its container/);
    expect(() => readTlv(Uint8Array.from([0x30, 0x80, 0x02, 0x01, 0x05]))).toThrow(/end-of-contents/);
  });

  it('writes object identifiers that it and asn1js read back', () => {
    for (const dotted of [
      '1.2.840.113549.1.9.16.2.47',
      '2.16.840.1.101.3.4.2.1',
      '1.3.6.1.4.1.311.2.1.4',
      '2.999.3',
    ]) {
      const der = derOid(dotted);
      expect(oid(readTlv(der))).toBe(dotted);
      expect((asn1js.fromBER(ab(der)).result as asn1js.ObjectIdentifier).valueBlock.toString()).toBe(dotted);
    }
  });
});

describe('CMS encoding', () => {
  it('SignedData is byte-identical to the pkijs encoding, for RSA and ECDSA signers', () => {
    const digest = new Uint8Array(32).map((_, i) => i * 7);
    const value = new Uint8Array(256).map((_, i) => 255 - i);
    for (const chain of [rsaChain, ecChain]) {
      expect(Buffer.from(buildSignedData(digest, value, chain))).toEqual(
        Buffer.from(pkijsSignedData(digest, value, chain)),
      );
    }
  });

  it('signed attributes written from the per-certificate template match pkijs for any digest', () => {
    const value = new Uint8Array(256).fill(7);
    for (const fill of [0x00, 0xff, 0x30, 0x31]) {
      const digest = new Uint8Array(32).fill(fill);
      digest[31] = fill ^ 1;
      for (const chain of [rsaChain, ecChain, rsaChain]) {
        expect(Buffer.from(buildSignedData(digest, value, chain))).toEqual(
          Buffer.from(pkijsSignedData(digest, value, chain)),
        );
      }
    }
  });

  it('DER lengths: short form below 128, then the shortest long form', () => {
    for (const [n, head] of [
      [0, [0x04, 0x00]],
      [127, [0x04, 0x7f]],
      [128, [0x04, 0x81, 0x80]],
      [255, [0x04, 0x81, 0xff]],
      [256, [0x04, 0x82, 0x01, 0x00]],
      [65535, [0x04, 0x82, 0xff, 0xff]],
      [65536, [0x04, 0x83, 0x01, 0x00, 0x00]],
    ] as const) {
      const der = tlv(0x04, new Uint8Array(n).fill(1), new Uint8Array(0));
      expect([...der.subarray(0, head.length)]).toEqual(head);
      expect(der.length).toBe(head.length + n);
      expect(readTlv(der).end).toBe(der.length);
    }
  });

  it('a time-stamp token becomes the unsigned signatureTimeStampToken attribute', () => {
    const token = tlv(0x30, derOid('1.2.840.113549.1.7.2'));
    const der = buildSignedData(new Uint8Array(32), new Uint8Array(64), ecChain, token);
    const cms = parseCms(der);
    expect(cms.view.unsigned.map((a) => a.type)).toEqual(['1.2.840.113549.1.9.16.2.14']);
    expect(Buffer.from(raw(cms.view.unsigned[0]!.values[0]!))).toEqual(Buffer.from(token));
    // pkijs reads the same structure.
    expect(cms.signerInfo.unsignedAttrs?.attributes[0]?.type).toBe('1.2.840.113549.1.9.16.2.14');
  });

  it('reads back what it writes: signer, signed attributes as signed, digest algorithm', () => {
    const digest = new Uint8Array(32).fill(9);
    const attrs = signedAttributesDer(digest, rsaChain[0]!);
    const cms = parseCms(buildSignedData(digest, new Uint8Array(256), rsaChain));
    expect(Buffer.from(cms.view.signedAttrs!)).toEqual(Buffer.from(attrs));
    expect(cms.signer?.der).toEqual(rsaChain[0]);
    expect(cms.digest).toBe('sha256');
    // The lazily built pkijs objects agree.
    expect(cms.signedData.certificates).toHaveLength(rsaChain.length);
  });

  it('p12 RSA signatures are the PKCS#1 v1.5 bytes crypto.sign gives', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const data = Buffer.from('thuộc tính đã ký');
    expect(rsaSha256(key, data)).toEqual(sign('sha256', data, key));
  });
});

describe('caches that cannot change a result', () => {
  it('loading one certificate twice gives equal but distinct objects (no shared identity)', () => {
    const a = loadCert(rsaChain[0]!);
    const b = loadCert(new Uint8Array(rsaChain[0]!));
    expect(a).not.toBe(b);
    expect(a.subject).toBe(b.subject);
    expect(a.id).toBe(b.id);
    expect(loadCert(rsaChain[1]!).id).not.toBe(a.id);
    // A CMS that carries the same certificate twice keeps two entries.
    const cms = parseCms(
      buildSignedData(new Uint8Array(32), new Uint8Array(256), [rsaChain[0]!, rsaChain[0]!]),
    );
    expect(cms.certificates).toHaveLength(2);
    expect(cms.certificates[0]).not.toBe(cms.certificates[1]);
  });
});

describe('formatViDateTime', () => {
  it('agrees with the tz database before and after Việt Nam settled on UTC+7 (13 June 1975)', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const ref = (d: Date) => {
      const p = intl.formatToParts(d);
      const v = (t: string) => p.find((x) => x.type === t)?.value;
      return `${v('day')}/${v('month')}/${v('year')} ${v('hour')}:${v('minute')}`;
    };
    for (const iso of [
      '1960-01-01T00:00:00Z',
      '1975-06-12T16:59:59Z',
      '1975-06-12T17:00:00Z',
      '2026-03-05T02:03:04Z',
      '2049-12-31T16:59:59Z',
      '2049-12-31T17:00:00Z',
    ]) {
      expect(formatViDateTime(iso), iso).toBe(ref(new Date(iso)));
    }
  });
});
