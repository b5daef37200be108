/**
 * Building edXML messages in the wire form the national axis accepts (STANDARDS §1.2): the root
 * `edXML` with the default namespace, an explicit `edXML:` prefix on every envelope element,
 * `AttachmentEncoded` outside the envelope without prefix, and `edXML:ContentTransferEncoded`
 * (re-declaring the prefix) holding the base64 content. Element order follows the SDK samples.
 *
 * Plain string templates with escaping. Before anything is returned, the message (with empty
 * attachment content) is parsed back in the chosen mode, so a builder never emits what the parser
 * would reject.
 */
import { EdxmlError } from './errors.ts';
import {
  type AttachmentMeta,
  type Bussiness,
  EDXML_NS,
  type Edoc,
  type EdocAttachment,
  type ManifestReference,
  type Organ,
  type ResponseFor,
  type StaffInfo,
  type StatusMessage,
  type StreamingAttachment,
} from './model.ts';
import { type ParseMode, parseEdxmlSync } from './parse.ts';
import { assertSignatureElement } from './signature.ts';
import { escapeText } from './xml/escape.ts';

export interface BuildOptions {
  /** Validation mode for what is built; default 'strict'. 'lenient' admits what lenient parsing admits. */
  mode?: ParseMode;
}

export interface StreamBuildOptions extends BuildOptions {
  /** A `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">` element (createEnvelopeSignature) to place last in edXMLHeader. */
  signature?: string;
  /** Raw bytes per base64 chunk (rounded down to a multiple of 3); default 48 KiB. */
  chunkSize?: number;
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

class Out {
  readonly lines: string[] = [];
  constructor(private readonly prefix: string) {}

  open(depth: number, name: string, attrs = ''): void {
    this.lines.push(`${'  '.repeat(depth)}<${this.prefix}${name}${attrs}>`);
  }

  close(depth: number, name: string): void {
    this.lines.push(`${'  '.repeat(depth)}</${this.prefix}${name}>`);
  }

  /** A leaf, when the value is defined. */
  leaf(depth: number, name: string, value: string | number | boolean | undefined): void {
    if (value === undefined) return;
    const v = escapeText(String(value), name);
    this.lines.push(`${'  '.repeat(depth)}<${this.prefix}${name}>${v}</${this.prefix}${name}>`);
  }

  list(depth: number, wrapper: string, item: string, values: readonly string[] | undefined): void {
    if (values === undefined) return;
    this.open(depth, wrapper);
    for (const v of values) this.leaf(depth + 1, item, v);
    this.close(depth, wrapper);
  }
}

function organ(o: Out, d: number, name: string, g: Organ): void {
  o.open(d, name);
  o.leaf(d + 1, 'OrganId', g.organId);
  o.leaf(d + 1, 'OrganizationInCharge', g.organizationInCharge);
  o.leaf(d + 1, 'OrganName', g.organName);
  o.leaf(d + 1, 'OrganAdd', g.organAdd);
  o.leaf(d + 1, 'Email', g.email);
  o.leaf(d + 1, 'Telephone', g.telephone);
  o.leaf(d + 1, 'Fax', g.fax);
  o.leaf(d + 1, 'Website', g.website);
  o.close(d, name);
}

function responseFor(o: Out, d: number, r: ResponseFor): void {
  o.open(d, 'ResponseFor');
  o.leaf(d + 1, 'OrganId', r.organId);
  o.leaf(d + 1, 'Code', r.code);
  o.leaf(d + 1, 'PromulgationDate', r.promulgationDate);
  o.leaf(d + 1, 'DocumentId', r.documentId);
  o.close(d, 'ResponseFor');
}

function staff(o: Out, d: number, s: StaffInfo | undefined): void {
  if (!s) return;
  o.open(d, 'StaffInfo');
  o.leaf(d + 1, 'Department', s.department);
  o.leaf(d + 1, 'Staff', s.staff);
  o.leaf(d + 1, 'Email', s.email);
  o.leaf(d + 1, 'Mobile', s.mobile);
  o.close(d, 'StaffInfo');
}

function business(o: Out, d: number, b: Bussiness): void {
  o.open(d, 'Bussiness');
  o.leaf(d + 1, 'DocumentId', b.documentId);
  o.leaf(d + 1, 'BussinessDocType', b.docType);
  o.leaf(d + 1, 'BussinessDocReason', b.reason);
  o.leaf(d + 1, 'Paper', b.paper);
  if (b.documentInfo) {
    const i = b.documentInfo;
    o.open(d + 1, 'BussinessDocumentInfo');
    o.leaf(d + 2, 'DocumentInfo', i.documentInfo);
    o.leaf(d + 2, 'DocumentReceiver', i.documentReceiver);
    if (i.receivers) {
      o.open(d + 2, 'ReceiverList');
      for (const r of i.receivers) {
        o.open(d + 3, 'Receiver');
        o.leaf(d + 4, 'OrganId', r.organId);
        o.leaf(d + 4, 'ReceiverType', r.receiverType);
        o.close(d + 3, 'Receiver');
      }
      o.close(d + 2, 'ReceiverList');
    }
    o.close(d + 1, 'BussinessDocumentInfo');
  }
  if (b.replacements) {
    o.open(d + 1, 'ReplacementInfoList');
    for (const r of b.replacements) {
      o.open(d + 2, 'ReplacementInfo');
      o.leaf(d + 3, 'DocumentId', r.documentId);
      o.list(d + 3, 'OrganIdList', 'OrganId', r.organIds);
      o.close(d + 2, 'ReplacementInfo');
    }
    o.close(d + 1, 'ReplacementInfoList');
  }
  staff(o, d + 1, b.staffInfo);
  o.close(d, 'Bussiness');
}

const ROOT_OPEN = `<edXML xmlns="${EDXML_NS}">`;
const ENVELOPE_ATTR = ` xmlns:edXML="${EDXML_NS}"`;
const HEADER_CLOSE = '    </edXML:edXMLHeader>';

/** The message as text pieces around the attachment content. */
interface EdocParts {
  head: string;
  attachments: Array<{ open: string; close: string }>;
  tail: string;
}

function edocParts(env: Edoc, metas: readonly AttachmentMeta[], signature?: string): EdocParts {
  const o = new Out('edXML:');
  const h = env.header;
  o.lines.push(ROOT_OPEN);
  o.open(1, 'edXMLEnvelope', ENVELOPE_ATTR);
  o.open(2, 'edXMLHeader');
  o.open(3, 'MessageHeader');
  organ(o, 4, 'From', h.from);
  for (const t of h.to) organ(o, 4, 'To', t);
  o.leaf(4, 'DocumentId', h.documentId);
  o.open(4, 'Code');
  o.leaf(5, 'CodeNumber', h.code.number);
  o.leaf(5, 'CodeNotation', h.code.notation);
  o.close(4, 'Code');
  o.open(4, 'PromulgationInfo');
  o.leaf(5, 'Place', h.promulgation.place);
  o.leaf(5, 'PromulgationDate', h.promulgation.date);
  o.close(4, 'PromulgationInfo');
  o.open(4, 'DocumentType');
  o.leaf(5, 'Type', h.documentType.type);
  o.leaf(5, 'TypeDetail', h.documentType.typeDetail);
  o.leaf(5, 'TypeName', h.documentType.typeName);
  o.close(4, 'DocumentType');
  o.leaf(4, 'Subject', h.subject);
  o.leaf(4, 'Content', h.content);
  if (h.signerInfo) {
    o.open(4, 'SignerInfo');
    o.leaf(5, 'Competence', h.signerInfo.competence);
    o.leaf(5, 'Position', h.signerInfo.position);
    o.leaf(5, 'FullName', h.signerInfo.fullName);
    o.close(4, 'SignerInfo');
  }
  o.leaf(4, 'DueDate', h.dueDate);
  if (h.otherInfo) {
    const i = h.otherInfo;
    o.open(4, 'OtherInfo');
    o.leaf(5, 'Priority', i.priority);
    o.leaf(5, 'SphereOfPromulgation', i.sphereOfPromulgation);
    o.leaf(5, 'TyperNotation', i.typerNotation);
    o.leaf(5, 'PromulgationAmount', i.promulgationAmount);
    o.leaf(5, 'PageAmount', i.pageAmount);
    o.leaf(5, 'Direction', i.direction);
    o.list(5, 'Appendixes', 'Appendix', i.appendixes);
    o.close(4, 'OtherInfo');
  }
  for (const r of h.responseFor ?? []) responseFor(o, 4, r);
  o.leaf(4, 'SteeringType', h.steeringType);
  o.list(4, 'ToPlaces', 'Place', h.toPlaces);
  o.close(3, 'MessageHeader');
  if (env.traceHeaders?.length || env.business) {
    o.open(3, 'TraceHeaderList');
    for (const t of env.traceHeaders ?? []) {
      o.open(4, 'TraceHeader');
      o.leaf(5, 'OrganId', t.organId);
      o.leaf(5, 'Timestamp', t.timestamp);
      o.close(4, 'TraceHeader');
    }
    if (env.business) business(o, 4, env.business);
    o.close(3, 'TraceHeaderList');
  }
  o.lines.push(signature ? `    ${signature}</edXML:edXMLHeader>` : HEADER_CLOSE);
  o.open(2, 'edXMLBody');
  o.open(3, 'edXMLManifest', ' version="1.0"');
  for (const r of env.manifest ?? []) {
    o.open(4, 'Reference');
    o.leaf(5, 'ContentId', r.contentId);
    o.leaf(5, 'ContentType', r.contentType);
    o.leaf(5, 'Description', r.description);
    o.leaf(5, 'AttachmentName', r.attachmentName);
    o.close(4, 'Reference');
  }
  o.close(3, 'edXMLManifest');
  o.close(2, 'edXMLBody');
  o.close(1, 'edXMLEnvelope');
  const parts: EdocParts = { head: '', attachments: [], tail: '' };
  if (metas.length) {
    o.lines.push('  <AttachmentEncoded>');
    parts.head = `${XML_DECL}${o.lines.join('\n')}\n`;
    for (const m of metas) {
      const a = new Out('');
      a.open(2, 'Attachment');
      a.leaf(3, 'ContentId', m.contentId);
      a.leaf(3, 'AttachmentName', m.attachmentName);
      a.leaf(3, 'Description', m.description);
      a.leaf(3, 'ContentType', m.contentType);
      a.lines.push(`      <edXML:ContentTransferEncoded${ENVELOPE_ATTR}>`);
      parts.attachments.push({
        open: a.lines.join('\n'),
        close: '</edXML:ContentTransferEncoded>\n    </Attachment>\n',
      });
    }
    parts.tail = '  </AttachmentEncoded>\n</edXML>\n';
  } else {
    parts.head = `${XML_DECL}${o.lines.join('\n')}\n`;
    parts.tail = '</edXML>\n';
  }
  return parts;
}

function join(parts: EdocParts, base64: (i: number) => string): string {
  let s = parts.head;
  parts.attachments.forEach((a, i) => {
    s += a.open + base64(i) + a.close;
  });
  return s + parts.tail;
}

function validate(xml: string, kind: 'edoc' | 'status', options: BuildOptions): void {
  const r = parseEdxmlSync(xml, { mode: options.mode ?? 'strict', attachments: 'check' });
  if (r.kind !== kind) throw new EdxmlError('EDXML_MISSING_ELEMENT', `built a ${r.kind}, expected ${kind}`);
}

function metaOf(a: AttachmentMeta): AttachmentMeta {
  const m: AttachmentMeta = { contentId: a.contentId };
  if (a.attachmentName !== undefined) m.attachmentName = a.attachmentName;
  if (a.description !== undefined) m.description = a.description;
  if (a.contentType !== undefined) m.contentType = a.contentType;
  return m;
}

/** One manifest reference per attachment, with the same metadata (the usual manifest). */
export function manifestFor(attachments: readonly AttachmentMeta[]): ManifestReference[] {
  return attachments.map(metaOf);
}

/**
 * Builds an edoc with its attachments (content given raw; encoded here). `env.manifest` must list
 * the attachments (see manifestFor); strict validation rejects an attachment it does not list.
 */
export function buildEdoc(
  env: Edoc,
  attachments: readonly EdocAttachment[] = [],
  options: BuildOptions = {},
): string {
  const metas = attachments.map(metaOf);
  const parts = edocParts(env, metas);
  validate(
    join(parts, () => ''),
    'edoc',
    options,
  );
  return join(parts, (i) => Buffer.from(attachments[i]?.content ?? []).toString('base64'));
}

async function* chunksOf(content: StreamingAttachment['content']): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else if (Symbol.asyncIterator in content) yield* content as AsyncIterable<Uint8Array>;
  else yield* content as Iterable<Uint8Array>;
}

/**
 * Builds an edoc as a stream of UTF-8 chunks; attachment content is read and base64-encoded chunk
 * by chunk, so memory stays bounded whatever the attachment size. With `options.signature` (from
 * createEnvelopeSignature over the unsigned stream) the output is the signed message.
 */
export async function* buildEdocStream(
  env: Edoc,
  attachments: readonly StreamingAttachment[] = [],
  options: StreamBuildOptions = {},
): AsyncGenerator<Buffer> {
  const metas = attachments.map(metaOf);
  if (options.signature !== undefined) assertSignatureElement(options.signature);
  const parts = edocParts(env, metas, options.signature);
  validate(
    join(edocParts(env, metas), () => ''),
    'edoc',
    options,
  );
  const step = Math.max(3, Math.floor((options.chunkSize ?? 48 * 1024) / 3) * 3);
  yield Buffer.from(parts.head, 'utf8');
  for (let i = 0; i < parts.attachments.length; i++) {
    const a = parts.attachments[i];
    const source = attachments[i];
    if (!a || !source) continue;
    yield Buffer.from(a.open, 'utf8');
    let carry: Buffer = Buffer.alloc(0);
    for await (const chunk of chunksOf(source.content)) {
      let data = carry.length
        ? Buffer.concat([carry, chunk])
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      while (data.length >= step) {
        yield Buffer.from(data.subarray(0, step).toString('base64'), 'latin1');
        data = data.subarray(step);
      }
      const whole = data.length - (data.length % 3);
      if (whole) yield Buffer.from(data.subarray(0, whole).toString('base64'), 'latin1');
      carry = Buffer.from(data.subarray(whole));
    }
    if (carry.length) yield Buffer.from(carry.toString('base64'), 'latin1');
    yield Buffer.from(a.close, 'utf8');
  }
  yield Buffer.from(parts.tail, 'utf8');
}

/** Builds a status message (all fields inside edXMLHeader/MessageHeader, as in the SDK samples). */
export function buildStatus(msg: StatusMessage, options: BuildOptions = {}): string {
  const o = new Out('edXML:');
  o.lines.push(ROOT_OPEN);
  o.open(1, 'edXMLEnvelope', ENVELOPE_ATTR);
  o.open(2, 'edXMLHeader');
  o.open(3, 'MessageHeader');
  organ(o, 4, 'From', msg.from);
  responseFor(o, 4, msg.responseFor);
  staff(o, 4, msg.staffInfo);
  o.leaf(4, 'StatusCode', msg.statusCode);
  o.leaf(4, 'Description', msg.description);
  o.leaf(4, 'Timestamp', msg.timestamp);
  o.close(3, 'MessageHeader');
  o.lines.push(HEADER_CLOSE);
  o.close(1, 'edXMLEnvelope');
  o.lines.push('</edXML>');
  const xml = `${XML_DECL}${o.lines.join('\n')}\n`;
  validate(xml, 'status', options);
  return xml;
}
