/**
 * Canonical XML without comments, streaming: exclusive (xml-exc-c14n, the one we sign with) and
 * inclusive 1.0 (REC-xml-c14n-20010315, met in legacy signatures). It consumes tokenizer events and
 * writes canonical text to a sink, so the canonical form of a document with a 50 MB attachment is
 * hashed slice by slice.
 *
 * Supported: elements, attributes, namespace declarations, text, CDATA (as text), processing
 * instructions. Comments are dropped (the tokenizer does not report them). Not supported:
 * InclusiveNamespaces PrefixList, document subsets other than "whole document minus a subtree"
 * and "one subtree"; attribute order for names outside the BMP follows UTF-16 order.
 */
import type { StartTag, XmlAttribute } from './tokenizer.ts';
import { XML_NS } from './tokenizer.ts';

export const C14N_EXCLUSIVE = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const C14N_INCLUSIVE = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';

export type C14nMode = 'exclusive' | 'inclusive';

export function c14nText(s: string): string {
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;',
  );
}

export function c14nAttr(s: string): string {
  if (!/[&<"\t\n\r]/.test(s)) return s;
  return s.replace(/[&<"\t\n\r]/g, (c) =>
    c === '&'
      ? '&amp;'
      : c === '<'
        ? '&lt;'
        : c === '"'
          ? '&quot;'
          : c === '\t'
            ? '&#x9;'
            : c === '\n'
              ? '&#xA;'
              : '&#xD;',
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NONE: ReadonlyMap<string, string> = new Map();

export interface CanonicalizerOptions {
  mode: C14nMode;
  /**
   * Inclusive mode on a subtree: xml:* attributes of the apex's ancestors, added to the apex when
   * it does not carry them (C14N 1.0 §2.4).
   */
  inheritedXmlAttributes?: readonly XmlAttribute[];
}

export class Canonicalizer {
  /** Namespaces rendered by the output ancestors, per open element. */
  private readonly rendered: Array<ReadonlyMap<string, string>> = [];
  private seenRoot = false;
  private closedRoot = false;

  constructor(
    private readonly out: (s: string) => void,
    private readonly options: CanonicalizerOptions,
  ) {}

  startElement(tag: StartTag): void {
    const parent = this.rendered[this.rendered.length - 1] ?? NONE;
    const isApex = this.rendered.length === 0;
    this.seenRoot = true;
    const ns: Array<[string, string]> = [];
    const consider = (prefix: string, uri: string): void => {
      if (prefix === 'xml') return;
      if (ns.some(([p]) => p === prefix)) return;
      const prev = parent.get(prefix);
      if (prefix === '') {
        if (uri === '' ? prev !== undefined && prev !== '' : prev !== uri) ns.push(['', uri]);
      } else if (prev !== uri) {
        ns.push([prefix, uri]);
      }
    };
    if (this.options.mode === 'exclusive') {
      consider(tag.name.prefix, tag.name.uri);
      for (const a of tag.attributes) if (a.prefix !== '') consider(a.prefix, a.uri);
    } else {
      for (const [p, uri] of tag.scope) consider(p, uri);
      if (!tag.scope.has('')) consider('', '');
    }
    let mine = parent;
    if (ns.length) {
      const m = new Map(parent);
      for (const [p, uri] of ns) m.set(p, uri);
      mine = m;
    }
    this.rendered.push(mine);
    ns.sort((a, b) => compare(a[0], b[0]));
    let attrs: readonly XmlAttribute[] = tag.attributes;
    const inherited = this.options.inheritedXmlAttributes;
    if (isApex && this.options.mode === 'inclusive' && inherited?.length) {
      const own = new Set(attrs.filter((a) => a.uri === XML_NS).map((a) => a.local));
      attrs = [...attrs, ...inherited.filter((a) => !own.has(a.local))];
    }
    const sorted = [...attrs].sort((a, b) => compare(a.uri, b.uri) || compare(a.local, b.local));
    let s = `<${tag.name.qname}`;
    for (const [p, uri] of ns) s += p === '' ? ` xmlns="${c14nAttr(uri)}"` : ` xmlns:${p}="${c14nAttr(uri)}"`;
    for (const a of sorted) s += ` ${a.qname}="${c14nAttr(a.value)}"`;
    this.out(`${s}>`);
  }

  endElement(tag: StartTag): void {
    this.rendered.pop();
    this.out(`</${tag.name.qname}>`);
    if (this.rendered.length === 0) this.closedRoot = true;
  }

  text(chunk: string): void {
    this.out(c14nText(chunk));
  }

  processingInstruction(target: string, data: string): void {
    const pi = data ? `<?${target} ${data}?>` : `<?${target}?>`;
    if (this.rendered.length) this.out(pi);
    else if (!this.seenRoot) this.out(`${pi}\n`);
    else if (this.closedRoot) this.out(`\n${pi}`);
  }
}
