import { describe, expect, it } from 'vitest';
import {
  decodeTextString,
  fromLatin1,
  latin1,
  PdfDict,
  PdfName,
  PdfParser,
  PdfRef,
  type PdfStream,
  type PdfString,
  serialize,
  textString,
} from '../src/pdf-objects.ts';

const parse = (s: string) => new PdfParser(fromLatin1(s)).readObject();

describe('PDF object parser', () => {
  it('reads dictionaries, arrays, names, numbers, references and strings', () => {
    const o = parse(
      '<< /Type /Page /Kids [1 0 R 2 0 R] /N -3.5 /Esc (a\\(b\\)\\n\\101 (nested)) /H <48 65 6C6C 6F> /A#20B true /Z null % comment\n /K [1 2 R] >>',
    ) as PdfDict;
    expect((o.get('Type') as PdfName).name).toBe('Page');
    expect(o.get('Kids')).toEqual([new PdfRef(1, 0), new PdfRef(2, 0)]);
    expect(o.get('N')).toBe(-3.5);
    expect(latin1((o.get('Esc') as PdfString).bytes)).toBe('a(b)\nA (nested)');
    expect(latin1((o.get('H') as PdfString).bytes)).toBe('Hello');
    expect(o.get('A B')).toBe(true);
    expect(o.get('Z')).toBeNull();
    // `1 2 R` inside an array is a reference, `1 2` alone is two numbers
    expect(o.get('K')).toEqual([new PdfRef(1, 2)]);
    expect(parse('[1 2]')).toEqual([1, 2]);
  });

  it('reads a stream using /Length, or up to endstream when /Length is wrong', () => {
    const good = parse('<< /Length 5 >>\nstream\nab\ncd\nendstream') as PdfStream;
    expect(latin1(good.data)).toBe('ab\ncd');
    const wrong = parse('<< /Length 99 >>\nstream\nabc\nendstream') as PdfStream;
    expect(latin1(wrong.data)).toBe('abc');
  });

  it('serializes what it parses (round trip) and writes text strings as UTF-16BE when needed', () => {
    const d = new PdfDict({ A: new PdfName('X Y'), B: [1, 0.25, new PdfRef(3, 0)], C: textString('Đồng ý') });
    const back = parse(latin1(serialize(d))) as PdfDict;
    expect((back.get('A') as PdfName).name).toBe('X Y');
    expect(back.get('B')).toEqual([1, 0.25, new PdfRef(3, 0)]);
    expect(decodeTextString(back.get('C') as PdfString)).toBe('Đồng ý');
    expect(textString('abc').bytes).toEqual(fromLatin1('abc'));
    expect([...textString('Đ').bytes]).toEqual([0xfe, 0xff, 0x01, 0x10]);
  });

  it('rejects malformed input', () => {
    expect(() => parse('<< /A 1')).toThrow();
    expect(() => parse('(unterminated')).toThrow();
    expect(() => parse('<< 1 2 >>')).toThrow(/not a name/);
  });
});
