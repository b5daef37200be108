import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEdoc,
  buildEdocStream,
  buildStatus,
  createEnvelopeSignature,
  DSIG_NS,
  EdxmlError,
  parseEdxmlSync,
  signEnvelope,
  verifyEnvelope,
  verifyEnvelopeSync,
} from '../src/index.ts';
import { attachment, edoc, HAS_XMLSEC1, makeKeys, status, type TestKeys } from './helpers.ts';

let keys: TestKeys;
let other: TestKeys;
let key: { privateKey: string; certificate: string };
let unsigned: string;
let signed: string;

beforeAll(() => {
  keys = makeKeys();
  other = makeKeys('Người khác');
  key = { privateKey: keys.keyPem, certificate: keys.certPem };
  unsigned = buildEdoc(edoc(), [attachment({ content: Buffer.from('nội dung tệp đính kèm '.repeat(200)) })]);
  signed = signEnvelope(unsigned, key);
}, 60_000);
afterAll(() => {
  keys?.cleanup();
  other?.cleanup();
});

const SIG_START = `<Signature xmlns="${DSIG_NS}">`;

describe('signEnvelope / verifyEnvelope', () => {
  it('adds one enveloped Signature as the last child of edXMLHeader and changes nothing else', () => {
    const start = signed.indexOf(SIG_START);
    const end = signed.indexOf('</Signature>') + '</Signature>'.length;
    expect(start).toBeGreaterThan(0);
    expect(signed.slice(end).startsWith('</edXML:edXMLHeader>')).toBe(true);
    expect(signed.slice(0, start) + signed.slice(end)).toBe(unsigned);
    const sig = signed.slice(start, end);
    expect(sig).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>');
    expect(sig).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(sig).toContain(
      '<Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>' +
        '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms>' +
        '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>',
    );
    expect(sig).toMatch(
      /<KeyInfo><X509Data><X509Certificate>MII[A-Za-z0-9+/=]+<\/X509Certificate><\/X509Data><\/KeyInfo>/,
    );
    // The signed message is still a valid edoc in strict mode.
    expect(parseEdxmlSync(signed, { mode: 'strict' })).toMatchObject({
      kind: 'edoc',
      signed: true,
      warnings: [],
    });
  });

  it('verifies, reporting algorithms and the certificate', async () => {
    const v = verifyEnvelopeSync(signed);
    expect(v).toMatchObject({
      valid: true,
      warnings: [],
      algorithm: {
        signature: 'rsa-sha256',
        digest: 'sha256',
        canonicalization: 'exclusive',
        referenceCanonicalization: 'exclusive',
      },
    });
    expect(v.failure).toBeUndefined();
    expect(v.certificate?.pem.replace(/\s/g, '')).toBe(keys.certPem.replace(/\s/g, ''));
    expect(v.certificate?.subject).toContain('CN=Văn thư Sở KH&CN');
    expect((await verifyEnvelope(Buffer.from(signed))).valid).toBe(true);
  });

  it('the digest covers the attachments: any change anywhere is EDXML_SIG_DIGEST_MISMATCH', () => {
    const b64 = signed.match(/<edXML:ContentTransferEncoded[^>]*>([^<]+)</)?.[1] ?? '';
    const flipped = (b64[10] === 'A' ? 'B' : 'A') as string;
    const tampered = [
      signed.replace(b64, b64.slice(0, 10) + flipped + b64.slice(11)), // attachment content
      signed.replace('<AttachmentName>123-SKHCN.pdf', '<AttachmentName>124-SKHCN.pdf'), // attachment metadata
      signed.replace('V/v kết nối', 'V/v kết nôi'), // header text
      signed.replace('<edXML:edXMLBody>', '<edXML:edXMLBody> '), // whitespace in the body
      signed.replace('</edXML>\n', '</edXML>\n').replace('<edXML:Priority>1', '<edXML:Priority>2'),
    ];
    for (const t of tampered) {
      expect(t).not.toBe(signed);
      expect(verifyEnvelopeSync(t).failure?.code).toBe('EDXML_SIG_DIGEST_MISMATCH');
    }
  });

  it('what canonicalization ignores does not break the signature', () => {
    const variants = [
      signed.replace('<edXML:edXMLBody>', '<!-- a comment --><edXML:edXMLBody>'),
      signed.replace('<edXML:edXMLManifest version="1.0">', "<edXML:edXMLManifest version='1.0' >"),
      signed.replace('<?xml version="1.0" encoding="UTF-8"?>\n', ''),
      signed.replace('<edXML:Subject>V/v', '<edXML:Subject><![CDATA[V/v]]>'),
      signed.replace('<edXML:Subject>V', '<edXML:Subject>&#86;'),
      signed.replaceAll('\n', '\r\n'),
    ];
    for (const t of variants) {
      expect(t).not.toBe(signed);
      expect(verifyEnvelopeSync(t)).toMatchObject({ valid: true });
    }
  });

  it('a changed signature value or another certificate is EDXML_SIG_INVALID', () => {
    const sv = signed.match(/<SignatureValue>([^<]+)</)?.[1] ?? '';
    const bad = Buffer.from(sv, 'base64');
    bad[5] = (bad[5] ?? 0) ^ 1;
    expect(verifyEnvelopeSync(signed.replace(sv, bad.toString('base64'))).failure?.code).toBe(
      'EDXML_SIG_INVALID',
    );
    const mine = signed.match(/<X509Certificate>([^<]+)</)?.[1] ?? '';
    const theirs = other.certPem.replace(/-----[^-]+-----|\s/g, '');
    const swapped = verifyEnvelopeSync(signed.replace(mine, theirs));
    expect(swapped.failure?.code).toBe('EDXML_SIG_INVALID');
    expect(swapped.certificate?.subject).toContain('Người khác');
  });

  it('refuses to sign twice, with a key that is not the certificate’s, or with a non-RSA key', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ACCEPTED';
      } catch (e) {
        return e instanceof EdxmlError ? e.code : String(e);
      }
    };
    expect(code(() => signEnvelope(signed, key))).toBe('EDXML_SIG_ALREADY_SIGNED');
    expect(code(() => signEnvelope(unsigned, { privateKey: other.keyPem, certificate: keys.certPem }))).toBe(
      'EDXML_SIG_KEY_MISMATCH',
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(code(() => signEnvelope(unsigned, { privateKey: ec.privateKey, certificate: keys.certPem }))).toBe(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
    );
    expect(
      code(() => signEnvelope(unsigned, { privateKey: keys.keyPem, certificate: 'not a certificate' })),
    ).toBe('EDXML_SIG_BAD_CERTIFICATE');
    expect(code(() => signEnvelope('<other/>', key))).toBe('EDXML_WRONG_ROOT');
  });

  it('structural problems are failures with a code', () => {
    const sig = signed.slice(signed.indexOf(SIG_START), signed.indexOf('</Signature>') + 12);
    expect(verifyEnvelopeSync(unsigned).failure?.code).toBe('EDXML_SIG_MISSING');
    expect(verifyEnvelopeSync(signed.replace(sig, sig + sig)).failure?.code).toBe('EDXML_SIG_MULTIPLE');
    const nested = signed.replace('<SignatureValue>', `<SignatureValue><Signature xmlns="${DSIG_NS}"/>`);
    expect(verifyEnvelopeSync(nested).failure?.code).toBe('EDXML_SIG_MULTIPLE');
    // Markup inside base64 content is not ignored.
    const markup = signed.replace('<X509Certificate>MII', '<X509Certificate>MII<x:y xmlns:x="urn:x"/>');
    expect(verifyEnvelopeSync(markup).failure?.code).toBe('EDXML_SIG_BAD_CERTIFICATE');
    const inValue = signed.replace('<SignatureValue>', '<SignatureValue><!-- c --><?p?>');
    expect(verifyEnvelopeSync(inValue).failure?.code).toBe('EDXML_SIG_MALFORMED');
    const moved = signed.replace(sig, '').replace('<edXML:edXMLBody>', `<edXML:edXMLBody>${sig}`);
    expect(verifyEnvelopeSync(moved).failure?.code).toBe('EDXML_SIG_MISSING');
    expect(verifyEnvelopeSync(signed.replace('<DigestValue>', '<DigestValue>@')).failure?.code).toBe(
      'EDXML_SIG_MALFORMED',
    );
    expect(verifyEnvelopeSync(signed.replace('Reference URI=""', 'Reference URI="#x"')).failure?.code).toBe(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
    );
    expect(verifyEnvelopeSync(signed.replace(/<KeyInfo>.*<\/KeyInfo>/, '')).failure?.code).toBe(
      'EDXML_SIG_NO_CERTIFICATE',
    );
    expect(verifyEnvelopeSync('<edXML').failure?.code).toBe('EDXML_NOT_WELL_FORMED');
  });

  it('a status message is signed and verified the same way', () => {
    const xml = signEnvelope(buildStatus(status()), key);
    expect(parseEdxmlSync(xml, { mode: 'strict' })).toMatchObject({ kind: 'status', signed: true });
    expect(verifyEnvelopeSync(xml).valid).toBe(true);
    expect(
      verifyEnvelopeSync(xml.replace('<edXML:StatusCode>03', '<edXML:StatusCode>02')).failure?.code,
    ).toBe('EDXML_SIG_DIGEST_MISMATCH');
  });

  it('leading junk: lenient verifies with a warning, strict fails', () => {
    const v = verifyEnvelopeSync(`1212${signed}`);
    expect(v.valid).toBe(true);
    expect(v.warnings.map((w) => w.code)).toEqual(['EDXML_LEADING_JUNK']);
    expect(verifyEnvelopeSync(`1212${signed}`, { mode: 'strict' }).failure?.code).toBe('EDXML_LEADING_JUNK');
  });

  it('two-pass streaming signature equals the in-memory one', async () => {
    const env = edoc();
    const att = attachment({ content: Buffer.alloc(200_000, 65) });
    const sig = await createEnvelopeSignature(buildEdocStream(env, [att]), key);
    const parts: Buffer[] = [];
    for await (const b of buildEdocStream(env, [att], { signature: sig })) parts.push(b);
    const streamed = Buffer.concat(parts).toString('utf8');
    expect(streamed).toBe(signEnvelope(buildEdoc(env, [att]), key));
    expect((await verifyEnvelope(buildEdocStream(env, [att], { signature: sig }))).valid).toBe(true);
  });
});

/** A document exercising the canonicalization: namespaces, attributes, references, CDATA, PIs, comments. */
const TRICKY = `<?xml version="1.0" encoding="UTF-8"?>
<!-- leading comment -->
<?app-hint keep?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:unused="urn:unused" xmlns:x="urn:x">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016" xml:lang="vi">
    <edXML:edXMLHeader>
      <edXML:MessageHeader x:b='2' a="1&#9;tab&#10;nl &lt; &amp; &quot; > ' &#13;" x:a="3" b="&#x1F600;">
        <edXML:Subject>Trích yếu &amp; &lt;ký&gt; &#13; ]]&gt; "q" 'a' <![CDATA[<raw & cdata>]]> \u{1F600}</edXML:Subject>
        <edXML:Empty/>
        <child xmlns="">no namespace<inner xmlns="urn:other" xml:space="preserve">other default</inner></child>
        <x:y xmlns:x="urn:x2" xmlns:z="urn:z">rebound</x:y>
        <!-- comment inside -->
        <?pi inside data?>
      </edXML:MessageHeader>
    __SIGNATURE__</edXML:edXMLHeader>
    <edXML:edXMLBody/>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded><Attachment><edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">SGVsbG8=</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded>
</edXML>
<!-- trailing comment -->
<?trailing pi?>
`;

function template(c14n: string, method: string, digest: string, referenceC14n?: string): string {
  return (
    `<Signature xmlns="${DSIG_NS}">\n  <SignedInfo>\n    <CanonicalizationMethod Algorithm="${c14n}"/>\n` +
    `    <SignatureMethod Algorithm="${method}"/>\n    <Reference URI="">\n      <Transforms>\n` +
    `        <Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>\n` +
    (referenceC14n ? `        <Transform Algorithm="${referenceC14n}"/>\n` : '') +
    `      </Transforms>\n      <DigestMethod Algorithm="${digest}"/>\n      <DigestValue></DigestValue>\n` +
    '    </Reference>\n  </SignedInfo>\n  <SignatureValue/>\n  <KeyInfo><X509Data/></KeyInfo>\n</Signature>'
  );
}

const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const INC = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';

function xmlsec(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('xmlsec1', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!HAS_XMLSEC1)(
  `cross-check with xmlsec1${HAS_XMLSEC1 ? '' : ' (skipped: xmlsec1 not installed)'}`,
  () => {
    const file = (name: string, text: string) => {
      const p = path.join(keys.dir, name);
      writeFileSync(p, text);
      return p;
    };
    const xmlsecVerifies = (xml: string) =>
      xmlsec(['--verify', '--pubkey-cert-pem', keys.certPath, file('v.xml', xml)]).status === 0;

    it('xmlsec1 verifies what we sign (a built edoc and a document full of canonicalization cases)', () => {
      expect(xmlsecVerifies(signed)).toBe(true);
      const tricky = signEnvelope(TRICKY.replace('__SIGNATURE__', ''), key);
      expect(verifyEnvelopeSync(tricky).valid).toBe(true);
      expect(xmlsecVerifies(tricky)).toBe(true);
      // And xmlsec1 can fail: a tampered copy is rejected by both.
      const t = tricky.replace('rebound', 'rebounD');
      expect(xmlsecVerifies(t)).toBe(false);
      expect(verifyEnvelopeSync(t).failure?.code).toBe('EDXML_SIG_DIGEST_MISMATCH');
    });

    const cases: Array<[string, string, string, string, string | undefined, boolean]> = [
      ['exclusive, RSA-SHA256', EXC, RSA_SHA256, SHA256, EXC, false],
      ['inclusive, RSA-SHA1 (legacy)', INC, RSA_SHA1, SHA1, INC, true],
      ['inclusive SignedInfo, exclusive reference', INC, RSA_SHA256, SHA256, EXC, false],
      [
        'no reference transform after enveloped (inclusive by default), SHA-1',
        INC,
        RSA_SHA1,
        SHA1,
        undefined,
        true,
      ],
    ];
    it.each(cases)('we verify what xmlsec1 signs: %s', (_name, c14n, method, digest, refC14n, sha1) => {
      for (const doc of [
        TRICKY,
        buildEdoc(edoc(), [attachment()]).replace(
          '</edXML:edXMLHeader>',
          '__SIGNATURE__</edXML:edXMLHeader>',
        ),
      ]) {
        const tmpl = file('t.xml', doc.replace('__SIGNATURE__', template(c14n, method, digest, refC14n)));
        const out = path.join(keys.dir, 's.xml');
        const r = xmlsec([
          '--sign',
          '--privkey-pem',
          `${keys.keyPath},${keys.certPath}`,
          '--output',
          out,
          tmpl,
        ]);
        expect(r.status, r.out).toBe(0);
        const xml = readFileSync(out, 'utf8');
        const v = verifyEnvelopeSync(xml);
        expect(v.failure).toBeUndefined();
        expect(v.valid).toBe(true);
        expect(v.warnings.map((w) => w.code)).toEqual(sha1 ? ['EDXML_SIG_SHA1'] : []);
        expect(verifyEnvelopeSync(xml.replace('SGVsbG8=', 'SGVsbG9=').replace('>123<', '>124<')).valid).toBe(
          false,
        );
      }
    });
  },
);
