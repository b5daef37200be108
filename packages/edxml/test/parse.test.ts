import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AttachmentSink,
  buildEdoc,
  buildStatus,
  EdxmlError,
  type ParseOptions,
  parseEdxml,
  parseEdxmlSync,
} from '../src/index.ts';
import { attachment, edoc, status } from './helpers.ts';

const XML = buildEdoc(edoc(), [attachment()]);
const STATUS = buildStatus(status());

function outcome(
  xml: string | Buffer,
  options: ParseOptions = {},
): { code: string; path?: string; warnings?: string[] } {
  try {
    const r = parseEdxmlSync(xml, options);
    return { code: 'ACCEPTED', warnings: r.warnings.map((w) => w.code) };
  } catch (e) {
    if (!(e instanceof EdxmlError)) throw e;
    return e.path === undefined ? { code: e.code } : { code: e.code, path: e.path };
  }
}

const strict = (xml: string) => outcome(xml, { mode: 'strict' });
const lenient = (xml: string) => outcome(xml, { mode: 'lenient' });

function replaceOnce(s: string, from: string | RegExp, to: string): string {
  const out = s.replace(from, to);
  if (out === s) throw new Error(`mutation not applied: ${from}`);
  return out;
}

const MH = '/edXML/edXMLEnvelope/edXMLHeader/MessageHeader';

describe('structure errors name the element', () => {
  it('missing required elements', () => {
    expect(strict(replaceOnce(XML, /<edXML:Subject>.*<\/edXML:Subject>/, ''))).toEqual({
      code: 'EDXML_MISSING_ELEMENT',
      path: `${MH}/Subject`,
    });
    expect(strict(replaceOnce(XML, /<edXML:From>[\s\S]*?<\/edXML:From>/, ''))).toEqual({
      code: 'EDXML_MISSING_ELEMENT',
      path: `${MH}/From`,
    });
    expect(
      strict(
        replaceOnce(
          XML,
          /<edXML:CodeNumber>.*<\/edXML:CodeNumber>/,
          '<edXML:CodeNumber> </edXML:CodeNumber>',
        ),
      ),
    ).toEqual({
      code: 'EDXML_MISSING_ELEMENT',
      path: `${MH}/Code/CodeNumber`,
    });
    expect(strict(replaceOnce(STATUS, /<edXML:Timestamp>.*<\/edXML:Timestamp>/, ''))).toEqual({
      code: 'EDXML_MISSING_ELEMENT',
      path: `${MH}/Timestamp`,
    });
  });

  it('wrong root, wrong namespace, the rejected historical variants', () => {
    expect(
      strict(XML.replace(/edXML xmlns=/, 'edXMLx xmlns=').replace('</edXML>\n', '</edXMLx>\n')).code,
    ).toBe('EDXML_WRONG_ROOT');
    expect(
      strict(XML.replaceAll('http://www.mic.gov.vn/TBT/QCVN_102_2016', 'http://www.go.vn/eDoc')),
    ).toEqual({
      code: 'EDXML_WRONG_NAMESPACE',
      path: '/edXML',
    });
    // The envelope in another namespace (the old eDoc one) under a right root.
    expect(
      strict(
        replaceOnce(
          XML,
          `xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">\n    <edXML:edXMLHeader>`,
          'xmlns:edXML="http://www.go.vn/eDoc">\n    <edXML:edXMLHeader>',
        ),
      ),
    ).toEqual({
      code: 'EDXML_WRONG_NAMESPACE',
      path: '/edXML/edXMLEnvelope',
    });
    // "EdXMLEnvelope" with a capital E was rejected by the axis.
    expect(strict(XML.replaceAll('edXML:edXMLEnvelope', 'edXML:EdXMLEnvelope'))).toEqual({
      code: 'EDXML_MISSING_ELEMENT',
      path: '/edXML/edXMLEnvelope',
    });
  });

  it('an element given twice', () => {
    expect(
      strict(replaceOnce(XML, '<edXML:Subject>', '<edXML:Subject>x</edXML:Subject><edXML:Subject>')),
    ).toEqual({
      code: 'EDXML_DUPLICATE_ELEMENT',
      path: `${MH}/Subject`,
    });
  });

  it('text where only elements belong', () => {
    expect(strict(replaceOnce(XML, '<edXML:From>', '<edXML:From>stray'))).toEqual({
      code: 'EDXML_UNEXPECTED_TEXT',
      path: `${MH}/From`,
    });
  });

  it('unknown elements and attributes: strict rejects, lenient warns and ignores', () => {
    const x = replaceOnce(XML, '<edXML:Subject>', '<edXML:Secret>1</edXML:Secret><edXML:Subject>');
    expect(strict(x)).toEqual({ code: 'EDXML_UNKNOWN_ELEMENT', path: `${MH}/Secret` });
    expect(lenient(x)).toEqual({ code: 'ACCEPTED', warnings: ['EDXML_UNKNOWN_ELEMENT'] });
    const y = replaceOnce(XML, '<edXML:Subject>', '<edXML:Subject lang="vi">');
    expect(strict(y)).toEqual({ code: 'EDXML_UNKNOWN_ATTRIBUTE', path: `${MH}/Subject` });
    expect(lenient(y)).toEqual({ code: 'ACCEPTED', warnings: ['EDXML_UNKNOWN_ATTRIBUTE'] });
    expect(strict(replaceOnce(XML, '<edXML:Subject>', '<edXML:Subject xml:lang="vi">')).code).toBe(
      'ACCEPTED',
    );
  });
});

describe('values', () => {
  it('dates, numbers, booleans', () => {
    expect(
      strict(replaceOnce(XML, '<edXML:PromulgationDate>2025/03/05', '<edXML:PromulgationDate>2025/3/5')),
    ).toEqual({
      code: 'EDXML_BAD_DATE',
      path: `${MH}/PromulgationInfo/PromulgationDate`,
    });
    expect(strict(replaceOnce(XML, '<edXML:PageAmount>3', '<edXML:PageAmount>three')).code).toBe(
      'EDXML_BAD_NUMBER',
    );
    expect(strict(replaceOnce(XML, '<edXML:Direction>false', '<edXML:Direction>no')).code).toBe(
      'EDXML_BAD_BOOLEAN',
    );
    expect(
      strict(replaceOnce(XML, '<edXML:Timestamp>2025/03/05 09:15:00', '<edXML:Timestamp>2025/03/05 9:15'))
        .code,
    ).toBe('EDXML_BAD_DATE');
  });

  it('coded values are trimmed, free text is kept exactly', () => {
    const x = replaceOnce(
      replaceOnce(
        XML,
        '<edXML:OrganId>H37.02.02</edXML:OrganId>',
        '<edXML:OrganId>\n  H37.02.02 </edXML:OrganId>',
      ),
      '<edXML:OrganName>Sở',
      '<edXML:OrganName> Sở',
    );
    const r = parseEdxmlSync(x, { mode: 'strict' });
    expect(r.kind === 'edoc' && r.edoc.header.from.organId).toBe('H37.02.02');
    expect(r.kind === 'edoc' && r.edoc.header.from.organName?.startsWith(' Sở')).toBe(true);
  });

  it('Priority above 3: strict rejects, lenient warns', () => {
    const x = replaceOnce(XML, '<edXML:Priority>1', '<edXML:Priority>7');
    expect(strict(x).code).toBe('EDXML_BAD_PRIORITY');
    expect(lenient(x)).toEqual({ code: 'ACCEPTED', warnings: ['EDXML_BAD_PRIORITY'] });
  });

  it('unknown status code and business type, in both modes', () => {
    const s = replaceOnce(STATUS, '<edXML:StatusCode>03', '<edXML:StatusCode>07');
    expect(strict(s)).toEqual({ code: 'EDXML_UNKNOWN_STATUS', path: `${MH}/StatusCode` });
    expect(lenient(s).code).toBe('EDXML_UNKNOWN_STATUS');
    const b = replaceOnce(XML, '<edXML:BussinessDocType>0', '<edXML:BussinessDocType>4');
    expect(lenient(b).code).toBe('EDXML_UNKNOWN_BUSINESS_TYPE');
  });

  it('agency codes: invalid in both modes, nonstandard only in lenient', () => {
    const bad = replaceOnce(XML, '<edXML:OrganId>000.00.00.H41', '<edXML:OrganId>ubnd nghe an');
    expect(lenient(bad)).toEqual({ code: 'EDXML_BAD_ORGAN_ID', path: `${MH}/To[1]/OrganId` });
    const odd = replaceOnce(XML, '<edXML:OrganId>000.00.00.H41', '<edXML:OrganId>28.22.H17');
    expect(strict(odd)).toEqual({ code: 'EDXML_BAD_ORGAN_ID', path: `${MH}/To[1]/OrganId` });
    expect(lenient(odd)).toEqual({ code: 'ACCEPTED', warnings: ['EDXML_NONSTANDARD_ORGAN_ID'] });
  });
});

describe('attachments', () => {
  it('a manifest reference without content is EDXML_ATTACHMENT_MISSING in both modes', () => {
    const x = replaceOnce(XML, /<AttachmentEncoded>[\s\S]*<\/AttachmentEncoded>\n/, '');
    expect(lenient(x)).toEqual({
      code: 'EDXML_ATTACHMENT_MISSING',
      path: '/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[1]/ContentId',
    });
  });

  it('content that is not base64', () => {
    const b64 = Buffer.from(attachment().content).toString('base64');
    for (const bad of [`${b64}$`, `${b64}=`, `${b64.slice(0, -2)}=A`, 'QUJD===', `${b64}<x/>`, 'QUJ']) {
      expect(lenient(XML.replace(b64, bad)).code).toBe('EDXML_BAD_BASE64');
    }
    // Line breaks inside base64 are fine (MIME style).
    expect(strict(XML.replace(b64, b64.replace(/(.{8})/g, '$1\r\n'))).code).toBe('ACCEPTED');
  });

  it('streams content to an async sink, in order, with back-pressure', async () => {
    const content = Buffer.alloc(3_000_000, 7).map((_, i) => i % 251);
    const xml = buildEdoc(edoc(), [attachment({ content })]);
    const got: Buffer[] = [];
    let ended = false;
    const sink: AttachmentSink = {
      open: (i) => {
        expect(i).toBe(0);
        return {
          write: async (c) => {
            await new Promise((r) => setTimeout(r, 0));
            got.push(Buffer.from(c));
          },
          end: async () => {
            ended = true;
          },
        };
      },
    };
    async function* bytes() {
      const b = Buffer.from(xml);
      for (let i = 0; i < b.length; i += 65_536) yield b.subarray(i, i + 65_536);
    }
    const r = await parseEdxml(bytes(), { attachments: sink, mode: 'strict' });
    expect(ended).toBe(true);
    expect(Buffer.concat(got).equals(content)).toBe(true);
    expect(r.kind === 'edoc' && r.attachments[0]).toMatchObject({
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect(r.kind === 'edoc' && r.attachments[0]?.content).toBeUndefined();
  });

  it('aborts open attachment writers when the message turns out bad', async () => {
    const xml = buildEdoc(edoc(), [attachment()]).replace(
      '</edXML:ContentTransferEncoded>',
      '$$</edXML:ContentTransferEncoded>',
    );
    const calls: string[] = [];
    const sink: AttachmentSink = {
      open: () => ({
        write: () => void calls.push('write'),
        end: () => void calls.push('end'),
        abort: (e) => void calls.push(`abort ${(e as EdxmlError).code}`),
      }),
    };
    await expect(parseEdxml(xml, { attachments: sink })).rejects.toMatchObject({ code: 'EDXML_BAD_BASE64' });
    expect(calls.at(-1)).toBe('abort EDXML_BAD_BASE64');
    expect(calls).not.toContain('end');
  });

  it('the synchronous parser refuses an asynchronous sink', () => {
    const sink: AttachmentSink = { open: () => ({ write: async () => {}, end: async () => {} }) };
    expect(() => parseEdxmlSync(XML, { attachments: sink })).toThrow(TypeError);
  });

  it('discard mode keeps size and hash only', () => {
    const r = parseEdxmlSync(XML, { attachments: 'discard' });
    expect(r.kind === 'edoc' && r.attachments[0]).toEqual({
      contentId: 'cid:1',
      attachmentName: '123-SKHCN.pdf',
      description: 'Văn bản',
      contentType: 'application/pdf',
      size: attachment().content.length,
      sha256: createHash('sha256').update(attachment().content).digest('hex'),
    });
  });
});

describe('inputs', () => {
  it('string, Buffer, iterable and async iterable give the same result', async () => {
    const a = parseEdxmlSync(XML);
    expect(await parseEdxml(Buffer.from(XML))).toEqual(a);
    expect(await parseEdxml([Buffer.from(XML.slice(0, 100)), Buffer.from(XML.slice(100))])).toEqual(a);
    async function* bytes() {
      const b = Buffer.from(XML);
      for (let i = 0; i < b.length; i += 7) yield b.subarray(i, i + 7);
    }
    expect(await parseEdxml(bytes())).toEqual(a);
  });

  it('a status is told from an edoc by StatusCode, with no body', () => {
    expect(parseEdxmlSync(STATUS)).toMatchObject({ kind: 'status', signed: false });
    expect(parseEdxmlSync(XML)).toMatchObject({ kind: 'edoc', signed: false });
  });
});
