/**
 * What the hub needs to know of an envelope to route it, and nothing more: who sends, to whom,
 * which document it concerns. The hub stores and forwards the bytes unchanged; it never rebuilds
 * or re-signs an envelope.
 */
export interface EnvelopeFacts {
  kind: 'edoc' | 'status';
  /** Sender OrganId (MessageHeader From). */
  from: string;
  /** edoc: the To OrganIds; status: [] (the hub decides the recipients). */
  to: string[];
  /** edoc: MessageHeader DocumentId; status: ResponseFor DocumentId. */
  documentId: string;
  /** edoc only: TraceHeaderList Bussiness BussinessDocType (0 new, 1 recall, 2 update, 3 replace). */
  businessType?: 0 | 1 | 2 | 3;
  /** status only: StatusCode (01–06, 13, 15, 16). */
  statusCode?: string;
}

/** Reads the routing facts of an envelope; throws HubEnvelopeError(reason) when it cannot. */
export type EnvelopeInspector = (body: Buffer) => EnvelopeFacts;

/** A refused envelope; `reason` is shown to the sender (English, technical). */
export class HubEnvelopeError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'HubEnvelopeError';
  }
}

export const EDXML_NAMESPACE = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/**
 * TEMPORARY inspector, to be replaced by @congvu/edxml's parser when that package lands (one line
 * where the hub is built: `inspector: edxmlInspector`). It is not an XML parser: it finds the few
 * elements the hub routes on by regular expressions over the wire form of QCVN 102 envelopes as
 * the national axis SDK samples write them, and refuses what it cannot read with confidence:
 * - anything before the XML declaration or root element (e.g. the SDK sample's stray "1212"),
 *   a declared encoding other than UTF-8, a DOCTYPE or ENTITY declaration;
 * - a root other than `edXML` bound to the QCVN 102:2016 namespace;
 * - no single MessageHeader, no From OrganId, no DocumentId; an edoc without To; a status
 *   without ResponseFor/DocumentId or a two-digit StatusCode; a BussinessDocType outside 0–3.
 * Element prefixes are not checked against their declarations (a real parser will), comments are
 * ignored, the five predefined entities and character references are decoded in values, and a
 * value written as CDATA is not read (it counts as missing).
 */
export const regexInspector: EnvelopeInspector = (body) => {
  let xml = body.toString('utf8');
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  xml = xml.trimStart();
  if (!xml.startsWith('<')) throw new HubEnvelopeError('content before the XML declaration or root element');
  const decl = /^<\?xml\b([^?]*)\?>/.exec(xml);
  if (decl) {
    const enc = /\bencoding\s*=\s*["']([^"']+)["']/.exec(decl[1]!)?.[1];
    if (enc && !/^utf-?8$/i.test(enc)) throw new HubEnvelopeError(`unsupported encoding ${enc} (UTF-8 only)`);
  }
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml))
    throw new HubEnvelopeError('DOCTYPE or ENTITY declarations are not allowed');
  xml = xml.replace(/<!--[\s\S]*?-->/g, '');

  // The root: the first element after the declaration and processing instructions.
  const rootTag = /^(?:<\?[\s\S]*?\?>\s*)*<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(\s[^>]*)?>/.exec(xml);
  if (!rootTag) throw new HubEnvelopeError('no root element');
  const [prefix, local] = rootTag[1]!.includes(':') ? rootTag[1]!.split(':') : [null, rootTag[1]!];
  if (local !== 'edXML') throw new HubEnvelopeError(`root element is ${rootTag[1]}, not edXML`);
  const nsAttr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const ns = new RegExp(`\\s${nsAttr.replace(/[.-]/g, '\\$&')}\\s*=\\s*["']([^"']*)["']`).exec(
    rootTag[2] ?? '',
  )?.[1];
  if (ns !== EDXML_NAMESPACE)
    throw new HubEnvelopeError(`root edXML is not in the namespace ${EDXML_NAMESPACE}`);

  // Only the header is read; attachments (most of the bytes) are not scanned.
  const headerEnd = xml.search(/<\/(?:[\w.-]+:)?edXMLHeader\s*>/);
  const head = headerEnd < 0 ? xml : xml.slice(0, headerEnd);
  const headers = blocks(head, 'MessageHeader');
  if (headers.length !== 1) throw new HubEnvelopeError(`expected one MessageHeader, found ${headers.length}`);
  const header = headers[0]!;

  const fromBlocks = blocks(header, 'From');
  if (fromBlocks.length !== 1) throw new HubEnvelopeError(`expected one From, found ${fromBlocks.length}`);
  const from = required(fromBlocks[0]!, 'OrganId', 'From/OrganId');

  const statusCode = text(header, 'StatusCode');
  if (statusCode !== undefined) {
    if (!/^\d{2}$/.test(statusCode))
      throw new HubEnvelopeError(`StatusCode "${statusCode}" is not two digits`);
    const responseFor = blocks(header, 'ResponseFor');
    if (responseFor.length !== 1) throw new HubEnvelopeError('a status message needs one ResponseFor');
    const documentId = required(responseFor[0]!, 'DocumentId', 'ResponseFor/DocumentId');
    return { kind: 'status', from, to: [], documentId, statusCode };
  }

  const to = blocks(header, 'To').map((b) => required(b, 'OrganId', 'To/OrganId'));
  if (to.length === 0) throw new HubEnvelopeError('an edoc needs at least one To');
  // DocumentId is a direct child of MessageHeader; ResponseFor (a reply) has its own.
  const own = withoutBlocks(header, ['From', 'To', 'ResponseFor']);
  const documentId = required(own, 'DocumentId', 'MessageHeader/DocumentId');
  const facts: EnvelopeFacts = { kind: 'edoc', from, to: [...new Set(to)], documentId };
  const business = blocks(head, 'Bussiness')[0];
  const type = business === undefined ? undefined : text(business, 'BussinessDocType');
  if (type !== undefined) {
    if (!/^[0-3]$/.test(type)) throw new HubEnvelopeError(`BussinessDocType "${type}" is not 0–3`);
    facts.businessType = Number(type) as 0 | 1 | 2 | 3;
  }
  return facts;
};

const P = '(?:[A-Za-z_][\\w.-]*:)?';

/** The inner text of every <p:name>…</p:name> (not nested in itself) in `xml`. */
function blocks(xml: string, name: string): string[] {
  const re = new RegExp(`<${P}${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${P}${name}\\s*>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1]!);
}

function withoutBlocks(xml: string, names: string[]): string {
  let out = xml;
  for (const n of names) {
    out = out.replace(new RegExp(`<${P}${n}(?:\\s[^>]*)?>[\\s\\S]*?</${P}${n}\\s*>`, 'g'), '');
    out = out.replace(new RegExp(`<${P}${n}(?:\\s[^>]*)?/>`, 'g'), '');
  }
  return out;
}

/** The decoded, trimmed text of the first <p:name> in `xml`; undefined when absent. */
function text(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${P}${name}(?:\\s[^>]*)?(?:/>|>([^<]*)</${P}${name}\\s*>)`).exec(xml);
  if (!m) return undefined;
  return decode(m[1] ?? '').trim();
}

function required(xml: string, name: string, path: string): string {
  const v = text(xml, name);
  if (!v) throw new HubEnvelopeError(`missing ${path}`);
  return v;
}

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()]!;
  });
}
