import { describe, expect, it } from 'vitest';
import {
  buildEdoc,
  buildEdocStream,
  buildStatus,
  EDXML_NS,
  EdxmlError,
  manifestFor,
  parseEdxmlSync,
} from '../src/index.ts';
import { attachment, edoc, organ, status } from './helpers.ts';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof EdxmlError) return e.code;
    throw e;
  }
};

async function collect(gen: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts).toString('utf8');
}

describe('buildStatus', () => {
  it('writes the SDK sample layout exactly', () => {
    const xml = buildStatus(
      status({
        from: { organId: '000.00.00.H41', organName: 'UBND Tỉnh Nghệ An' },
        staffInfo: { department: 'Văn thư', staff: 'Lê Văn C' },
        statusCode: '01',
        description: 'Đã đến',
      }),
    );
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H41</edXML:OrganId>
          <edXML:OrganName>UBND Tỉnh Nghệ An</edXML:OrganName>
        </edXML:From>
        <edXML:ResponseFor>
          <edXML:OrganId>H37.02.02</edXML:OrganId>
          <edXML:Code>123/SKHCN-VP</edXML:Code>
          <edXML:PromulgationDate>2025/03/05</edXML:PromulgationDate>
          <edXML:DocumentId>H37.02.02,2025/03/05,123/SKHCN-VP</edXML:DocumentId>
        </edXML:ResponseFor>
        <edXML:StaffInfo>
          <edXML:Department>Văn thư</edXML:Department>
          <edXML:Staff>Lê Văn C</edXML:Staff>
        </edXML:StaffInfo>
        <edXML:StatusCode>01</edXML:StatusCode>
        <edXML:Description>Đã đến</edXML:Description>
        <edXML:Timestamp>2025/03/05 10:00:00</edXML:Timestamp>
      </edXML:MessageHeader>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML>
`);
  });

  it('round-trips through the parser', () => {
    const msg = status();
    const r = parseEdxmlSync(buildStatus(msg), { mode: 'strict' });
    expect(r).toMatchObject({ kind: 'status', status: msg, warnings: [], signed: false });
  });

  it('validates what it builds', () => {
    expect(codeOf(() => buildStatus(status({ statusCode: '07' as '01' })))).toBe('EDXML_UNKNOWN_STATUS');
    expect(codeOf(() => buildStatus(status({ timestamp: '2025/03/05' })))).toBe('EDXML_BAD_DATE');
    expect(codeOf(() => buildStatus(status({ from: organ({ organId: 'h37' }) })))).toBe('EDXML_BAD_ORGAN_ID');
    expect(codeOf(() => buildStatus(status({ description: 'bell \u0007' })))).toBe('EDXML_INVALID_CHAR');
  });
});

describe('buildEdoc', () => {
  const xml = buildEdoc(edoc(), [attachment()]);
  const lines = xml.split('\n');

  it('prefixes every envelope element with edXML: and declares the default namespace on the root', () => {
    expect(lines[0]).toBe('<?xml version="1.0" encoding="UTF-8"?>');
    expect(lines[1]).toBe(`<edXML xmlns="${EDXML_NS}">`);
    expect(lines[2]).toBe(`  <edXML:edXMLEnvelope xmlns:edXML="${EDXML_NS}">`);
    const start = 2;
    const end = lines.indexOf('  </edXML:edXMLEnvelope>');
    expect(end).toBeGreaterThan(start);
    for (const l of lines.slice(start, end + 1)) {
      for (const tag of l.match(/<\/?[A-Za-z:]+/g) ?? []) expect(tag).toMatch(/^<\/?edXML:/);
    }
  });

  it('puts AttachmentEncoded outside the envelope without prefix, with a prefixed ContentTransferEncoded', () => {
    const tail = lines.slice(lines.indexOf('  </edXML:edXMLEnvelope>') + 1).join('\n');
    const b64 = Buffer.from(attachment().content).toString('base64');
    expect(tail).toBe(`  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:1</ContentId>
      <AttachmentName>123-SKHCN.pdf</AttachmentName>
      <Description>Văn bản</Description>
      <ContentType>application/pdf</ContentType>
      <edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NS}">${b64}</edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>
`);
  });

  it('writes the header elements in the SDK sample order', () => {
    const header = xml.slice(xml.indexOf('<edXML:MessageHeader>'), xml.indexOf('</edXML:MessageHeader>'));
    const order = [...header.matchAll(/^ {8}<edXML:(\w+)/gm)].map((m) => m[1]);
    expect(order).toEqual([
      'From',
      'To',
      'DocumentId',
      'Code',
      'PromulgationInfo',
      'DocumentType',
      'Subject',
      'Content',
      'SignerInfo',
      'DueDate',
      'OtherInfo',
      'SteeringType',
      'ToPlaces',
    ]);
  });

  it('escapes text so that any string comes back exactly', () => {
    const subject = `a < b && c > d "q" 'a' \r\n\ttab ]]> &amp; ${'\u{1F600}'}`;
    const r = parseEdxmlSync(buildEdoc(edoc({ subject }), [attachment()]), { mode: 'strict' });
    expect(r.kind === 'edoc' && r.edoc.header.subject).toBe(subject);
  });

  it('round-trips model and attachment content', () => {
    const env = edoc({ responseFor: [status().responseFor] });
    const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    const r = parseEdxmlSync(buildEdoc(env, [attachment({ content })]), { mode: 'strict' });
    expect(r.kind).toBe('edoc');
    if (r.kind !== 'edoc') return;
    expect(r.edoc).toEqual(env);
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]?.content?.equals(content)).toBe(true);
    expect(r.attachments[0]?.size).toBe(1000);
  });

  it('omits AttachmentEncoded when there are no attachments', () => {
    const x = buildEdoc(edoc({}, { manifest: [] }), []);
    expect(x).not.toContain('AttachmentEncoded');
    expect(parseEdxmlSync(x, { mode: 'strict' })).toMatchObject({ kind: 'edoc', attachments: [] });
  });

  it('manifestFor lists the attachments', () => {
    const atts = [attachment(), attachment({ contentId: 'cid:2', attachmentName: 'b.pdf' })];
    const r = parseEdxmlSync(buildEdoc(edoc({}, { manifest: manifestFor(atts) }), atts), { mode: 'strict' });
    expect(r.kind === 'edoc' && r.attachments.map((a) => a.contentId)).toEqual(['cid:1', 'cid:2']);
  });

  it('validates: strict rejects what lenient parsing would only warn about', () => {
    expect(codeOf(() => buildEdoc(edoc({ from: organ({ organId: '28.22.H17' }) }), [attachment()]))).toBe(
      'EDXML_BAD_ORGAN_ID',
    );
    expect(
      codeOf(() =>
        buildEdoc(edoc({ from: organ({ organId: '28.22.H17' }) }), [attachment()], { mode: 'lenient' }),
      ),
    ).toBe('ACCEPTED');
    expect(codeOf(() => buildEdoc(edoc({ documentId: 'not-an-id' }), [attachment()]))).toBe(
      'EDXML_BAD_DOCUMENT_ID',
    );
    expect(codeOf(() => buildEdoc(edoc({ to: [] }), [attachment()]))).toBe('EDXML_MISSING_ELEMENT');
    expect(codeOf(() => buildEdoc(edoc({ subject: '  ' }), [attachment()]))).toBe('EDXML_MISSING_ELEMENT');
    expect(codeOf(() => buildEdoc(edoc({ dueDate: '2025/02/30' }), [attachment()]))).toBe('EDXML_BAD_DATE');
    expect(codeOf(() => buildEdoc(edoc({ steeringType: -1 }), [attachment()]))).toBe('EDXML_BAD_NUMBER');
    expect(codeOf(() => buildEdoc(edoc({ steeringType: 1.5 }), [attachment()]))).toBe('EDXML_BAD_NUMBER');
    expect(codeOf(() => buildEdoc(edoc(), []))).toBe('EDXML_ATTACHMENT_MISSING');
    expect(codeOf(() => buildEdoc(edoc({}, { manifest: [] }), [attachment()]))).toBe(
      'EDXML_ATTACHMENT_UNREFERENCED',
    );
    expect(codeOf(() => buildEdoc(edoc(), [attachment(), attachment()]))).toBe('EDXML_DUPLICATE_CONTENT_ID');
    const e = edoc();
    expect(codeOf(() => buildEdoc({ ...e, business: { docType: 5 as 0 } }, [attachment()]))).toBe(
      'EDXML_UNKNOWN_BUSINESS_TYPE',
    );
    expect(codeOf(() => buildEdoc({ ...e, business: { docType: 3 } }, [attachment()]))).toBe(
      'EDXML_BUSINESS_MISMATCH',
    );
  });

  it('error paths name the element', () => {
    try {
      buildEdoc(edoc({ to: [organ(), organ({ organId: 'x' })] }), [attachment()]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EdxmlError);
      expect((e as EdxmlError).path).toBe('/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId');
      expect((e as EdxmlError).messageVi).toContain('Mã định danh cơ quan không hợp lệ');
    }
  });
});

describe('buildEdocStream', () => {
  it('gives the same bytes as buildEdoc, whatever the chunk sizes', async () => {
    const env = edoc();
    for (const [size, chunk] of [
      [10_003, 1],
      [10_003, 2],
      [100_003, 3],
      [100_003, 1000],
      [100_003, 65_536],
    ] as const) {
      const content = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 256));
      const expected = buildEdoc(env, [attachment({ content })]);
      async function* pieces() {
        for (let i = 0; i < content.length; i += chunk) yield content.subarray(i, i + chunk);
      }
      for (const chunkSize of [3, 4096, 49_152]) {
        const got = await collect(
          buildEdocStream(env, [{ ...attachment(), content: pieces() }], { chunkSize }),
        );
        expect(got).toBe(expected);
      }
    }
  }, 30_000);

  it('validates before yielding anything', async () => {
    const gen = buildEdocStream(edoc({ subject: '' }), [attachment()]);
    await expect(gen.next()).rejects.toMatchObject({ code: 'EDXML_MISSING_ELEMENT' });
  });

  it('refuses a signature option that is not an XML Signature element', async () => {
    const gen = buildEdocStream(edoc(), [attachment()], { signature: '<Signature/>' });
    await expect(gen.next()).rejects.toMatchObject({ code: 'EDXML_SIG_MALFORMED' });
  });
});
