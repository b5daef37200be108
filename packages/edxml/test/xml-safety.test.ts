/**
 * The XML layer on hostile or broken input: DOCTYPE, XXE, entity expansion, limits, encodings,
 * well-formedness, and the same events whatever the chunking.
 */
import { describe, expect, it } from 'vitest';
import { buildStatus, EdxmlError, parseEdxml, parseEdxmlSync } from '../src/index.ts';
import { DEFAULT_LIMITS } from '../src/parse.ts';
import { type StartTag, XmlTokenizer } from '../src/xml/tokenizer.ts';
import { status } from './helpers.ts';

const buildStatusXml = () => buildStatus(status());

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof EdxmlError) return e.code;
    throw e;
  }
  return 'ACCEPTED';
}

const parseCode = (xml: string | Uint8Array, mode: 'strict' | 'lenient' = 'strict') =>
  codeOf(() => parseEdxmlSync(xml, { mode }));

/** Records tokenizer events, merging adjacent text slices. */
function events(chunks: string[], limits = DEFAULT_LIMITS): string[] {
  const out: string[] = [];
  const push = (s: string) => {
    const last = out[out.length - 1];
    if (s.startsWith('T:') && last?.startsWith('T:')) out[out.length - 1] = last + s.slice(2);
    else out.push(s);
  };
  const t = new XmlTokenizer(
    {
      startElement: (tag: StartTag) =>
        push(
          `S:{${tag.name.uri}}${tag.name.local}${tag.attributes.map((a) => ` {${a.uri}}${a.local}=${JSON.stringify(a.value)}`).join('')}`,
        ),
      endElement: (tag) => push(`E:${tag.name.qname}`),
      text: (s) => push(`T:${s}`),
      processingInstruction: (target, data, where) => push(`P:${target}|${data}|${where}`),
    },
    { limits },
  );
  for (const c of chunks) t.write(c);
  t.end();
  return out;
}

describe('DTDs and entities are never processed', () => {
  it('rejects an XXE payload with EDXML_DOCTYPE_FORBIDDEN before any entity is seen', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&xxe;</edXML>`;
    expect(parseCode(xxe)).toBe('EDXML_DOCTYPE_FORBIDDEN');
    expect(parseCode(xxe, 'lenient')).toBe('EDXML_DOCTYPE_FORBIDDEN');
  });

  it('rejects billion laughs with EDXML_DOCTYPE_FORBIDDEN, quickly and without growing memory', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`;
    expect(parseCode(lol, 'lenient')).toBe('EDXML_DOCTYPE_FORBIDDEN');
  });

  it('rejects a DOCTYPE anywhere, also after leading junk in lenient mode', () => {
    expect(parseCode('<!DOCTYPE edXML><edXML/>')).toBe('EDXML_DOCTYPE_FORBIDDEN');
    expect(parseCode('12<!DOCTYPE edXML><edXML/>', 'lenient')).toBe('EDXML_DOCTYPE_FORBIDDEN');
    expect(parseCode('<edXML><!DOCTYPE x></edXML>')).toBe('EDXML_DOCTYPE_FORBIDDEN');
  });

  it('treats references to undeclared entities as EDXML_UNDEFINED_ENTITY (no lookup, no expansion)', () => {
    expect(parseCode('<edXML>&xxe;</edXML>')).toBe('EDXML_UNDEFINED_ENTITY');
    expect(parseCode('<edXML a="&ent;"/>')).toBe('EDXML_UNDEFINED_ENTITY');
    expect(parseCode('<edXML>&nbsp;</edXML>')).toBe('EDXML_UNDEFINED_ENTITY');
  });

  it('decodes the predefined entities and character references', () => {
    expect(events(['<a b="&lt;&amp;&#x9;&#10;">&lt;&gt;&amp;&apos;&quot;&#65;&#x1F600;&#xE9;</a>'])).toEqual([
      'S:{}a {}b="<&\\t\\n"',
      `T:<>&'"A\u{1F600}é`,
      'E:a',
    ]);
  });

  it('rejects references to characters XML does not allow', () => {
    expect(parseCode('<a>&#0;</a>')).toBe('EDXML_INVALID_CHAR');
    expect(parseCode('<a>&#xD800;</a>')).toBe('EDXML_INVALID_CHAR');
    expect(parseCode('<a>&#x110000;</a>')).toBe('EDXML_INVALID_CHAR');
    expect(parseCode('<a>&#x1;</a>')).toBe('EDXML_INVALID_CHAR');
  });

  it('rejects a bare or unterminated ampersand', () => {
    expect(parseCode('<a>AT&T</a>')).toBe('EDXML_NOT_WELL_FORMED');
    expect(parseCode('<a>&amp</a>')).toBe('EDXML_NOT_WELL_FORMED');
    expect(parseCode('<a>&#xZZ;</a>')).toBe('EDXML_NOT_WELL_FORMED');
  });
});

describe('well-formedness', () => {
  const cases: Array<[string, string, string]> = [
    ['mismatched end tag', '<a><b></a></b>', 'EDXML_NOT_WELL_FORMED'],
    ['unclosed element', '<a><b></b>', 'EDXML_NOT_WELL_FORMED'],
    ['two roots', '<a/><b/>', 'EDXML_NOT_WELL_FORMED'],
    ['text after the root', '<a/>x', 'EDXML_NOT_WELL_FORMED'],
    ['no root', '<?xml version="1.0"?>  ', 'EDXML_NOT_WELL_FORMED'],
    ['empty input', '', 'EDXML_NOT_WELL_FORMED'],
    ['repeated attribute', '<a x="1" x="2"/>', 'EDXML_NOT_WELL_FORMED'],
    ['repeated expanded attribute', '<a xmlns:p="u" xmlns:q="u" p:x="1" q:x="2"/>', 'EDXML_NOT_WELL_FORMED'],
    ['unquoted attribute', '<a x=1/>', 'EDXML_NOT_WELL_FORMED'],
    ['attribute without whitespace', '<a x="1"y="2"/>', 'EDXML_NOT_WELL_FORMED'],
    ['< in an attribute', '<a x="<"/>', 'EDXML_NOT_WELL_FORMED'],
    [']]> in text', '<a>]]></a>', 'EDXML_NOT_WELL_FORMED'],
    ['-- in a comment', '<a><!-- a -- b --></a>', 'EDXML_NOT_WELL_FORMED'],
    ['comment ending in ---', '<a><!-- a ---></a>', 'EDXML_NOT_WELL_FORMED'],
    ['XML declaration later', '<a><?xml version="1.0"?></a>', 'EDXML_NOT_WELL_FORMED'],
    ['bad name', '<1a/>', 'EDXML_NOT_WELL_FORMED'],
    ['two colons', '<a:b:c xmlns:a="u"/>', 'EDXML_NOT_WELL_FORMED'],
    ['undeclared prefix', '<p:a/>', 'EDXML_NOT_WELL_FORMED'],
    ['prefix bound to nothing', '<a xmlns:p=""/>', 'EDXML_NOT_WELL_FORMED'],
    ['xml prefix rebound', '<a xmlns:xml="urn:x"/>', 'EDXML_NOT_WELL_FORMED'],
    ['xmlns prefix declared', '<a xmlns:xmlns="urn:x"/>', 'EDXML_NOT_WELL_FORMED'],
    ['unterminated CDATA', '<a><![CDATA[x</a>', 'EDXML_NOT_WELL_FORMED'],
    ['unterminated comment', '<a><!-- x</a>', 'EDXML_NOT_WELL_FORMED'],
    ['markup declaration', '<a><!ENTITY x "y"></a>', 'EDXML_NOT_WELL_FORMED'],
    ['control character', '<a>\u0001</a>', 'EDXML_INVALID_CHAR'],
    ['lone surrogate', '<a>\uD800</a>', 'EDXML_INVALID_CHAR'],
    [
      'non-UTF-8 declaration',
      '<?xml version="1.0" encoding="ISO-8859-1"?><a/>',
      'EDXML_UNSUPPORTED_ENCODING',
    ],
    ['malformed declaration', '<?xml versio="1.0"?><a/>', 'EDXML_NOT_WELL_FORMED'],
  ];
  it.each(cases)('%s → %s', (_name, xml, code) => {
    expect(codeOf(() => events([xml]))).toBe(code);
  });

  it('accepts comments, PIs, CDATA, a BOM and whitespace around the root', () => {
    expect(
      events([
        '\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><?pi data?>\n<a><![CDATA[<x> & ]]]]><?p?></a>\n<!-- e -->',
      ]),
    ).toEqual(['P:pi|data|prolog', 'S:{}a', 'T:<x> & ]]', 'P:p||content', 'E:a']);
  });

  it('normalises line ends in text and attribute values, keeps CR given by reference', () => {
    expect(events(['<a b="x\r\ny\tz">1\r\n2\r3&#13;4</a>'])).toEqual([
      'S:{}a {}b="x y z"',
      'T:1\n2\n3\r4',
      'E:a',
    ]);
  });

  it('rejects UTF-16 and invalid UTF-8 bytes', () => {
    expect(parseCode(Buffer.from('\uFEFF<a/>', 'utf16le'))).toBe('EDXML_UNSUPPORTED_ENCODING');
    expect(parseCode(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e]))).toBe(
      'EDXML_BAD_ENCODING',
    );
    expect(parseCode(Buffer.from([0x3c, 0x61, 0x2f, 0x3e, 0xe1, 0xba]))).toBe('EDXML_BAD_ENCODING');
  });

  it('gives the same events whatever the chunking (every split point, and one character at a time)', () => {
    const doc =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- x --><r xmlns="urn:d" xmlns:p="urn:p" p:a="1&amp;2\r\n" b=\'&#x1F600;\'>' +
      'tiếng Việt &lt;&#13;\r\n\u{1F600}]]&gt;<p:c><![CDATA[a]]b\r\n]]></p:c><?pi x y?><e/></r>\r\n';
    const whole = events([doc]);
    expect(whole).toContain('T:tiếng Việt <\r\n\u{1F600}]]>');
    for (let i = 1; i < doc.length; i++) expect(events([doc.slice(0, i), doc.slice(i)])).toEqual(whole);
    expect(events([...doc])).toEqual(whole);
  });
});

describe('hard limits', () => {
  const nest = (n: number) => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;

  it('EDXML_TOO_DEEP past maxDepth', () => {
    expect(codeOf(() => events([nest(32)]))).toBe('ACCEPTED');
    expect(codeOf(() => events([nest(33)]))).toBe('EDXML_TOO_DEEP');
  });

  it('EDXML_TOO_MANY_ELEMENTS past maxElements', () => {
    const doc = `<a>${'<b/>'.repeat(9_999)}</a>`;
    expect(codeOf(() => events([doc]))).toBe('ACCEPTED');
    expect(codeOf(() => events([`<a>${'<b/>'.repeat(10_000)}</a>`]))).toBe('EDXML_TOO_MANY_ELEMENTS');
  });

  it('EDXML_MARKUP_TOO_LONG for a huge tag, comment, or too many attributes', () => {
    expect(codeOf(() => events([`<a x="${'y'.repeat(70_000)}"/>`]))).toBe('EDXML_MARKUP_TOO_LONG');
    expect(codeOf(() => events([`<a><!--${'y'.repeat(70_000)}--></a>`]))).toBe('EDXML_MARKUP_TOO_LONG');
    const attrs = Array.from({ length: 33 }, (_, i) => ` a${i}="1"`).join('');
    expect(codeOf(() => events([`<a${attrs}/>`]))).toBe('EDXML_MARKUP_TOO_LONG');
    // An unterminated tag fed in small pieces fails as soon as it passes the limit.
    const t = new XmlTokenizer({ startElement() {}, endElement() {}, text() {} }, { limits: DEFAULT_LIMITS });
    t.write('<a x="');
    expect(() => {
      for (let i = 0; i < 100; i++) t.write('y'.repeat(1_000));
    }).toThrow(expect.objectContaining({ code: 'EDXML_MARKUP_TOO_LONG' }));
  });

  it('EDXML_FIELD_TOO_LONG for a long non-attachment text', () => {
    const big = buildStatusXml().replace('Đã tiếp nhận', 'x'.repeat(70_000));
    expect(parseCode(big)).toBe('EDXML_FIELD_TOO_LONG');
    expect(codeOf(() => parseEdxmlSync(big, { limits: { maxFieldLength: 100_000 } }))).toBe('ACCEPTED');
  });

  it('EDXML_TOO_LARGE past maxBytes, for strings, buffers and streams', async () => {
    const xml = buildStatusXml();
    const limits = { maxBytes: 1_000 };
    expect(codeOf(() => parseEdxmlSync(xml, { limits }))).toBe('EDXML_TOO_LARGE');
    expect(codeOf(() => parseEdxmlSync(Buffer.from(xml), { limits }))).toBe('EDXML_TOO_LARGE');
    async function* stream() {
      for (let i = 0; i < 1_000; i++) yield Buffer.from('<!-- padding padding padding -->');
    }
    await expect(parseEdxml(stream(), { limits })).rejects.toMatchObject({ code: 'EDXML_TOO_LARGE' });
  });
});
