/**
 * Parsing edXML messages (edoc and status) into the model, with validation.
 *
 * Strict mode accepts only what the standard layout allows. Lenient mode (the default, for
 * incoming traffic) accepts a short list of defects seen in the axis SDK samples, each with a
 * warning; see README.md "Leniencies".
 */
import { AttachmentContent, type AttachmentMode, type AttachmentWriter } from './attachments.ts';
import { type EdxmlCode, EdxmlError, type EdxmlWarning, issue } from './errors.ts';
import { type EdxmlInput, Feeder, feedAsync, feedSync } from './input.ts';
import {
  type AttachmentMeta,
  type Bussiness,
  DSIG_NS,
  EDXML_NS,
  type Edoc,
  type EdocHeader,
  type ManifestReference,
  type Organ,
  type ParsedAttachment,
  type ResponseFor,
  type StaffInfo,
  type StatusMessage,
  XLINK_NS,
} from './model.ts';
import {
  type BussinessDocType,
  classifyOrganId,
  isEdxmlDate,
  isEdxmlTimestamp,
  isStatusCode,
  parseDocumentId,
  type StatusCode,
} from './values.ts';
import { type StartTag, XML_NS, type XmlAttribute, type XmlHandler, XmlTokenizer } from './xml/tokenizer.ts';

export interface EdxmlLimits {
  /** Total input size in bytes (UTF-8). */
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
  /** Characters of text in any element other than attachment content. */
  maxFieldLength: number;
  /** Characters in one tag, comment or processing instruction. */
  maxMarkupLength: number;
  maxAttributes: number;
}

export const DEFAULT_LIMITS: Readonly<EdxmlLimits> = {
  maxBytes: 256 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 10_000,
  maxFieldLength: 65_536,
  maxMarkupLength: 65_536,
  maxAttributes: 32,
};

export type ParseMode = 'strict' | 'lenient';

export interface ParseOptions {
  /** Default 'lenient'. */
  mode?: ParseMode;
  limits?: Partial<EdxmlLimits>;
  /** Default 'collect'. */
  attachments?: AttachmentMode;
}

export type ParseResult =
  | {
      kind: 'edoc';
      edoc: Edoc;
      attachments: ParsedAttachment[];
      /** A Signature element is present in edXMLHeader (verify it with verifyEnvelope). */
      signed: boolean;
      warnings: EdxmlWarning[];
    }
  | { kind: 'status'; status: StatusMessage; signed: boolean; warnings: EdxmlWarning[] };

/** Leading junk lenient mode skips: at most this many characters of printable ASCII, no markup. */
export const MAX_LEADING_JUNK = 16;
const MAX_WARNINGS = 200;

// ---------------------------------------------------------------------------------------------
// Context: mode and warnings

class Ctx {
  readonly warnings: EdxmlWarning[] = [];
  constructor(readonly strict: boolean) {}

  warn(code: EdxmlCode, detail?: string, path?: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(issue(code, detail, path));
    else if (this.warnings.length === MAX_WARNINGS) this.warnings.push(issue('EDXML_TOO_MANY_WARNINGS'));
  }

  /** A defect strict mode rejects and lenient mode accepts with a warning of the same code. */
  tolerate(code: EdxmlCode, detail?: string, path?: string): void {
    if (this.strict) throw new EdxmlError(code, detail, path);
    this.warn(code, detail, path);
  }
}

// ---------------------------------------------------------------------------------------------
// Tree: elements and their text; attachment content streams out instead.

interface XNode {
  tag: StartTag;
  uri: string;
  local: string;
  children: XNode[];
  text: string;
  attachment?: AttachmentContent;
}

class TreeBuilder implements XmlHandler {
  root: XNode | undefined;
  private readonly stack: XNode[] = [];
  readonly opened: AttachmentContent[] = [];
  private chain: Promise<void> | undefined;

  constructor(
    private readonly maxField: number,
    private readonly mode: AttachmentMode,
    private readonly async: boolean,
  ) {}

  private path(extra?: string): string {
    const parts = this.stack.map((n) => n.local);
    if (extra) parts.push(extra);
    return `/${parts.join('/')}`;
  }

  private schedule = (f: () => void | Promise<void>): void => {
    if (this.async) {
      this.chain = (this.chain ?? Promise.resolve()).then(f);
      return;
    }
    const r = f();
    if (r && typeof (r as Promise<void>).then === 'function')
      throw new TypeError('parseEdxmlSync needs an attachment sink whose write() and end() are synchronous');
  };

  /** Waits for the sink's pending writes (async parsing). */
  async drain(): Promise<void> {
    while (this.chain) {
      const c = this.chain;
      await c;
      if (this.chain === c) this.chain = undefined;
    }
  }

  private isAttachmentContent(tag: StartTag): boolean {
    const [root, encoded, attachment] = this.stack;
    return (
      tag.depth === 4 &&
      tag.name.local === 'ContentTransferEncoded' &&
      tag.name.uri === EDXML_NS &&
      root?.uri === EDXML_NS &&
      encoded?.local === 'AttachmentEncoded' &&
      encoded.uri === EDXML_NS &&
      attachment?.local === 'Attachment' &&
      attachment.uri === EDXML_NS
    );
  }

  startElement(tag: StartTag): void {
    const parent = this.stack[this.stack.length - 1];
    const node: XNode = { tag, uri: tag.name.uri, local: tag.name.local, children: [], text: '' };
    if (parent) {
      if (parent.attachment)
        throw new EdxmlError(
          'EDXML_BAD_BASE64',
          `element <${tag.name.qname}> inside the content`,
          this.path(),
        );
      parent.children.push(node);
    } else {
      this.root = node;
    }
    if (this.isAttachmentContent(tag)) {
      const path = this.path(tag.name.local);
      if (parent?.children.some((c) => c !== node && c.attachment))
        throw new EdxmlError('EDXML_DUPLICATE_ELEMENT', undefined, path);
      const index = this.opened.length;
      let writer: AttachmentWriter | undefined;
      if (typeof this.mode === 'object') writer = this.mode.open(index);
      node.attachment = new AttachmentContent(
        path,
        this.mode === 'collect',
        writer,
        this.schedule,
        this.mode !== 'check',
      );
      this.opened.push(node.attachment);
    }
    this.stack.push(node);
  }

  text(chunk: string): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    if (top.attachment) {
      top.attachment.write(chunk);
      return;
    }
    if (top.text.length + chunk.length > this.maxField)
      throw new EdxmlError('EDXML_FIELD_TOO_LONG', `more than ${this.maxField} characters`, this.path());
    top.text += chunk;
  }

  endElement(): void {
    const node = this.stack.pop();
    node?.attachment?.end();
  }

  abort(error: unknown): void {
    for (const a of this.opened) if (a.open) a.writer?.abort?.(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the tree

const isBlank = (s: string) => s.trim() === '';

class El {
  private readonly used = new Set<XNode>();
  private leaf = false;

  constructor(
    readonly ctx: Ctx,
    readonly node: XNode,
    readonly path: string,
  ) {}

  private matches(local: string): XNode[] {
    const out: XNode[] = [];
    for (const c of this.node.children) {
      if (c.local !== local) continue;
      if (c.uri !== EDXML_NS)
        throw new EdxmlError(
          'EDXML_WRONG_NAMESPACE',
          c.uri ? `namespace ${c.uri}` : 'no namespace',
          `${this.path}/${local}`,
        );
      out.push(c);
    }
    return out;
  }

  has(local: string): boolean {
    return this.node.children.some((c) => c.local === local);
  }

  claim(node: XNode): void {
    this.used.add(node);
  }

  one(local: string): El | undefined {
    const m = this.matches(local);
    if (m.length > 1) throw new EdxmlError('EDXML_DUPLICATE_ELEMENT', undefined, `${this.path}/${local}`);
    const n = m[0];
    if (!n) return undefined;
    this.used.add(n);
    return new El(this.ctx, n, `${this.path}/${local}`);
  }

  req(local: string): El {
    const e = this.one(local);
    if (!e) throw new EdxmlError('EDXML_MISSING_ELEMENT', undefined, `${this.path}/${local}`);
    return e;
  }

  many(local: string): El[] {
    return this.matches(local).map((n, i) => {
      this.used.add(n);
      return new El(this.ctx, n, `${this.path}/${local}[${i + 1}]`);
    });
  }

  /** This element's text (a leaf: child elements are unknown elements). */
  leafText(): string {
    this.leaf = true;
    this.finish();
    return this.node.text;
  }

  /** Optional free text, exact. */
  str(local: string): string | undefined {
    return this.one(local)?.leafText();
  }

  /** Required free text, exact, not blank. */
  reqStr(local: string): string {
    const s = this.str(local);
    if (s === undefined || isBlank(s))
      throw new EdxmlError(
        'EDXML_MISSING_ELEMENT',
        s === undefined ? undefined : 'empty',
        `${this.path}/${local}`,
      );
    return s;
  }

  /** A coded value: trimmed; blank counts as absent. */
  code(local: string, required: true): string;
  code(local: string, required?: boolean): string | undefined;
  code(local: string, required = false): string | undefined {
    const s = this.str(local)?.trim();
    if (s === undefined || s === '') {
      if (required)
        throw new EdxmlError(
          'EDXML_MISSING_ELEMENT',
          s === undefined ? undefined : 'empty',
          `${this.path}/${local}`,
        );
      return undefined;
    }
    return s;
  }

  organId(local: string, required: true): string;
  organId(local: string, required?: boolean): string | undefined;
  organId(local: string, required = false): string | undefined {
    const v = this.code(local, required);
    if (v !== undefined) checkOrganId(this.ctx, v, `${this.path}/${local}`);
    return v;
  }

  date(local: string, required: true): string;
  date(local: string, required?: boolean): string | undefined;
  date(local: string, required = false): string | undefined {
    const v = this.code(local, required);
    if (v !== undefined && !isEdxmlDate(v))
      throw new EdxmlError(
        'EDXML_BAD_DATE',
        `${JSON.stringify(v)} is not yyyy/MM/dd`,
        `${this.path}/${local}`,
      );
    return v;
  }

  timestamp(local: string, required: true): string;
  timestamp(local: string, required?: boolean): string | undefined;
  timestamp(local: string, required = false): string | undefined {
    const v = this.code(local, required);
    if (v !== undefined && !isEdxmlTimestamp(v))
      throw new EdxmlError(
        'EDXML_BAD_DATE',
        `${JSON.stringify(v)} is not yyyy/MM/dd HH:mm:ss`,
        `${this.path}/${local}`,
      );
    return v;
  }

  int(local: string, required: true): number;
  int(local: string, required?: boolean): number | undefined;
  int(local: string, required = false): number | undefined {
    const v = this.code(local, required);
    if (v === undefined) return undefined;
    if (!/^[0-9]{1,15}$/.test(v))
      throw new EdxmlError(
        'EDXML_BAD_NUMBER',
        `${JSON.stringify(v)} is not a non-negative integer`,
        `${this.path}/${local}`,
      );
    return Number(v);
  }

  bool(local: string): boolean | undefined {
    const v = this.code(local);
    if (v === undefined) return undefined;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw new EdxmlError('EDXML_BAD_BOOLEAN', JSON.stringify(v), `${this.path}/${local}`);
  }

  documentId(local: string, required: true): string;
  documentId(local: string, required?: boolean): string | undefined;
  documentId(local: string, required = false): string | undefined {
    const v = this.code(local, required);
    if (v !== undefined) checkDocumentId(this.ctx, v, `${this.path}/${local}`);
    return v;
  }

  /** Reports what was not read: unknown elements and attributes, text in a container. */
  finish(knownAttribute: (a: XmlAttribute) => boolean = () => false): void {
    for (const c of this.node.children) {
      if (this.used.has(c)) continue;
      this.ctx.tolerate(
        'EDXML_UNKNOWN_ELEMENT',
        c.uri ? `{${c.uri}}${c.local}` : c.local,
        `${this.path}/${c.local}`,
      );
    }
    if (!this.leaf && !isBlank(this.node.text))
      throw new EdxmlError('EDXML_UNEXPECTED_TEXT', undefined, this.path);
    for (const a of this.node.tag.attributes) {
      if (a.uri === XML_NS || knownAttribute(a)) continue;
      this.ctx.tolerate('EDXML_UNKNOWN_ATTRIBUTE', a.qname, this.path);
    }
  }
}

function checkOrganId(ctx: Ctx, v: string, path: string): void {
  const form = classifyOrganId(v);
  if (form === 'invalid') throw new EdxmlError('EDXML_BAD_ORGAN_ID', JSON.stringify(v), path);
  if (form === 'nonstandard') {
    if (ctx.strict)
      throw new EdxmlError('EDXML_BAD_ORGAN_ID', `${JSON.stringify(v)}: nonstandard form`, path);
    ctx.warn('EDXML_NONSTANDARD_ORGAN_ID', JSON.stringify(v), path);
  }
}

function checkDocumentId(ctx: Ctx, v: string, path: string): void {
  const parts = parseDocumentId(v);
  if (!parts) ctx.tolerate('EDXML_BAD_DOCUMENT_ID', JSON.stringify(v), path);
  else if (classifyOrganId(parts.organId) === 'nonstandard')
    ctx.tolerate('EDXML_BAD_DOCUMENT_ID', `${JSON.stringify(v)}: nonstandard agency code`, path);
}

/** Sets `key` only when the value is defined, so absent fields stay absent. */
function put<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) o[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Mapping

function mapOrgan(el: El): Organ {
  const o: Organ = { organId: el.organId('OrganId', true) };
  put(o, 'organizationInCharge', el.str('OrganizationInCharge'));
  put(o, 'organName', el.str('OrganName'));
  put(o, 'organAdd', el.str('OrganAdd'));
  put(o, 'email', el.str('Email'));
  put(o, 'telephone', el.str('Telephone'));
  put(o, 'fax', el.str('Fax'));
  put(o, 'website', el.str('Website'));
  el.finish();
  return o;
}

function mapStaff(el: El | undefined): StaffInfo | undefined {
  if (!el) return undefined;
  const s: StaffInfo = {};
  put(s, 'department', el.str('Department'));
  put(s, 'staff', el.str('Staff'));
  put(s, 'email', el.str('Email'));
  put(s, 'mobile', el.str('Mobile'));
  el.finish();
  return s;
}

/** Undefined for an all-empty ResponseFor (as in an SDK sample), which only lenient mode accepts. */
function mapResponseFor(el: El): ResponseFor | undefined {
  if (el.node.children.every((c) => c.children.length === 0 && isBlank(c.text))) {
    for (const n of ['OrganId', 'Code', 'PromulgationDate', 'DocumentId']) el.str(n);
    el.finish();
    el.ctx.tolerate('EDXML_EMPTY_RESPONSE_FOR', undefined, el.path);
    return undefined;
  }
  const r: ResponseFor = {
    organId: el.organId('OrganId', true),
    documentId: el.documentId('DocumentId', true),
  };
  put(r, 'code', el.str('Code'));
  put(r, 'promulgationDate', el.date('PromulgationDate'));
  el.finish();
  return r;
}

function mapEdocHeader(mh: El): EdocHeader {
  const from = mapOrgan(mh.req('From'));
  const to = mh.many('To').map(mapOrgan);
  if (to.length === 0) throw new EdxmlError('EDXML_MISSING_ELEMENT', undefined, `${mh.path}/To`);
  const documentId = mh.documentId('DocumentId', true);
  const c = mh.req('Code');
  const code = { number: c.reqStr('CodeNumber'), notation: c.reqStr('CodeNotation') };
  c.finish();
  const p = mh.req('PromulgationInfo');
  const promulgation: EdocHeader['promulgation'] = { date: p.date('PromulgationDate', true) };
  put(promulgation, 'place', p.str('Place'));
  p.finish();
  const d = mh.req('DocumentType');
  const documentType: EdocHeader['documentType'] = {
    type: d.int('Type', true),
    typeName: d.reqStr('TypeName'),
  };
  put(documentType, 'typeDetail', d.int('TypeDetail'));
  d.finish();
  const h: EdocHeader = {
    from,
    to,
    documentId,
    code,
    promulgation,
    documentType,
    subject: mh.reqStr('Subject'),
    responseFor: [],
  };
  put(h, 'content', mh.str('Content'));
  const si = mh.one('SignerInfo');
  if (si) {
    const s: NonNullable<EdocHeader['signerInfo']> = {};
    put(s, 'competence', si.str('Competence'));
    put(s, 'position', si.str('Position'));
    put(s, 'fullName', si.str('FullName'));
    si.finish();
    h.signerInfo = s;
  }
  put(h, 'dueDate', mh.date('DueDate'));
  const tp = mh.one('ToPlaces');
  if (tp) {
    h.toPlaces = tp.many('Place').map((e) => e.leafText());
    tp.finish();
  }
  const oi = mh.one('OtherInfo');
  if (oi) {
    const o: NonNullable<EdocHeader['otherInfo']> = {};
    const priority = oi.int('Priority');
    if (priority !== undefined && priority > 3)
      oi.ctx.tolerate('EDXML_BAD_PRIORITY', String(priority), `${oi.path}/Priority`);
    put(o, 'priority', priority);
    put(o, 'sphereOfPromulgation', oi.str('SphereOfPromulgation'));
    put(o, 'typerNotation', oi.str('TyperNotation'));
    put(o, 'promulgationAmount', oi.int('PromulgationAmount'));
    put(o, 'pageAmount', oi.int('PageAmount'));
    put(o, 'direction', oi.bool('Direction'));
    const ap = oi.one('Appendixes');
    if (ap) {
      o.appendixes = ap.many('Appendix').map((e) => e.leafText());
      ap.finish();
    }
    oi.finish();
    h.otherInfo = o;
  }
  put(h, 'steeringType', mh.int('SteeringType'));
  for (const r of mh.many('ResponseFor')) {
    const v = mapResponseFor(r);
    if (v) h.responseFor.push(v);
  }
  return h;
}

function mapBusiness(el: El): Bussiness {
  const raw = el.code('BussinessDocType', true);
  if (!/^[0-3]$/.test(raw))
    throw new EdxmlError('EDXML_UNKNOWN_BUSINESS_TYPE', JSON.stringify(raw), `${el.path}/BussinessDocType`);
  const b: Bussiness = { docType: Number(raw) as BussinessDocType };
  put(b, 'documentId', el.documentId('DocumentId'));
  put(b, 'reason', el.str('BussinessDocReason'));
  put(b, 'paper', el.int('Paper'));
  put(b, 'staffInfo', mapStaff(el.one('StaffInfo')));
  const bdi = el.one('BussinessDocumentInfo');
  if (bdi) {
    const info: NonNullable<Bussiness['documentInfo']> = {};
    put(info, 'documentInfo', bdi.int('DocumentInfo'));
    put(info, 'documentReceiver', bdi.int('DocumentReceiver'));
    const rl = bdi.one('ReceiverList');
    if (rl) {
      info.receivers = rl.many('Receiver').map((r) => {
        const v: NonNullable<typeof info.receivers>[number] = { organId: r.organId('OrganId', true) };
        put(v, 'receiverType', r.int('ReceiverType'));
        r.finish();
        return v;
      });
      rl.finish();
    }
    bdi.finish();
    b.documentInfo = info;
  }
  const ril = el.one('ReplacementInfoList');
  if (ril) {
    b.replacements = ril.many('ReplacementInfo').map((ri) => {
      const v: NonNullable<Bussiness['replacements']>[number] = {
        documentId: ri.documentId('DocumentId', true),
      };
      const oil = ri.one('OrganIdList');
      if (oil) {
        v.organIds = oil.many('OrganId').map((o, i) => {
          const id = o.leafText().trim();
          if (!id) throw new EdxmlError('EDXML_MISSING_ELEMENT', 'empty', o.path);
          checkOrganId(el.ctx, id, `${oil.path}/OrganId[${i + 1}]`);
          return id;
        });
        oil.finish();
      }
      ri.finish();
      return v;
    });
    ril.finish();
  }
  el.finish();
  const ctx = el.ctx;
  if (b.documentInfo && b.docType !== 2)
    ctx.tolerate('EDXML_BUSINESS_MISMATCH', 'BussinessDocumentInfo belongs to BussinessDocType 2', el.path);
  if (b.replacements && b.docType !== 3)
    ctx.tolerate('EDXML_BUSINESS_MISMATCH', 'ReplacementInfoList belongs to BussinessDocType 3', el.path);
  if (b.docType === 2 && !b.documentInfo)
    ctx.tolerate('EDXML_BUSINESS_MISMATCH', 'BussinessDocType 2 without BussinessDocumentInfo', el.path);
  if (b.docType === 3 && !b.replacements?.length)
    ctx.tolerate('EDXML_BUSINESS_MISMATCH', 'BussinessDocType 3 without ReplacementInfo', el.path);
  return b;
}

const TRACE_LIST_ATTRIBUTES = new Set(['id', 'version', 'mustUnderstand', 'actor']);
const XLINK_ATTRIBUTES = new Set(['href', 'role', 'type']);

function mapManifest(body: El | undefined): ManifestReference[] {
  if (!body) return [];
  const m = body.one('edXMLManifest');
  const refs: ManifestReference[] = [];
  if (m) {
    for (const r of m.many('Reference')) {
      const ref: ManifestReference = { contentId: r.code('ContentId', true) };
      put(ref, 'contentType', r.str('ContentType'));
      put(ref, 'description', r.str('Description'));
      put(ref, 'attachmentName', r.str('AttachmentName'));
      r.finish((a) => a.uri === XLINK_NS && XLINK_ATTRIBUTES.has(a.local));
      refs.push(ref);
    }
    m.finish((a) => a.uri === '' && a.local === 'version');
  }
  body.finish();
  return refs;
}

function mapAttachments(root: El): Array<{ meta: AttachmentMeta; content: AttachmentContent; path: string }> {
  const enc = root.one('AttachmentEncoded');
  if (!enc) return [];
  const out = enc.many('Attachment').map((a) => {
    const meta: AttachmentMeta = { contentId: a.code('ContentId', true) };
    put(meta, 'attachmentName', a.str('AttachmentName'));
    put(meta, 'description', a.str('Description'));
    put(meta, 'contentType', a.str('ContentType'));
    const cte = a.req('ContentTransferEncoded');
    cte.leafText();
    const content = cte.node.attachment;
    if (!content) throw new EdxmlError('EDXML_MISSING_ELEMENT', undefined, cte.path);
    a.finish();
    return { meta, content, path: a.path };
  });
  enc.finish();
  return out;
}

/** Signature elements of edXMLHeader: the XML Signature one, or (lenient) one in the edXML namespace. */
function readSignature(ctx: Ctx, header: El): boolean {
  const sigs = header.node.children.filter((c) => c.local === 'Signature');
  let found = 0;
  for (const s of sigs) {
    const path = `${header.path}/Signature`;
    if (s.uri === DSIG_NS) {
      header.claim(s);
      found++;
    } else if (s.uri === EDXML_NS) {
      if (ctx.strict) throw new EdxmlError('EDXML_WRONG_NAMESPACE', `Signature must be in ${DSIG_NS}`, path);
      ctx.warn('EDXML_SIGNATURE_NAMESPACE', 'Signature in the edXML namespace', path);
      header.claim(s);
      found++;
    }
  }
  if (found > 1) throw new EdxmlError('EDXML_DUPLICATE_ELEMENT', undefined, `${header.path}/Signature`);
  return found > 0;
}

function mapDocument(ctx: Ctx, tree: TreeBuilder): ParseResult {
  const rootNode = tree.root;
  if (!rootNode) throw new EdxmlError('EDXML_NOT_WELL_FORMED', 'no root element');
  if (rootNode.local !== 'edXML') throw new EdxmlError('EDXML_WRONG_ROOT', rootNode.tag.name.qname);
  if (rootNode.uri !== EDXML_NS)
    throw new EdxmlError(
      'EDXML_WRONG_NAMESPACE',
      rootNode.uri ? `namespace ${rootNode.uri}` : 'no namespace',
      '/edXML',
    );
  const root = new El(ctx, rootNode, '/edXML');
  const env = root.req('edXMLEnvelope');
  const header = env.req('edXMLHeader');
  const mh = header.req('MessageHeader');
  const signed = readSignature(ctx, header);

  if (mh.has('StatusCode')) {
    const status: StatusMessage = {
      from: mapOrgan(mh.req('From')),
      responseFor: (() => {
        const r = mapResponseFor(mh.req('ResponseFor'));
        if (!r) throw new EdxmlError('EDXML_MISSING_ELEMENT', 'empty', `${mh.path}/ResponseFor/OrganId`);
        return r;
      })(),
      statusCode: '01',
      timestamp: '',
    };
    put(status, 'staffInfo', mapStaff(mh.one('StaffInfo')));
    const code = mh.code('StatusCode', true);
    if (!isStatusCode(code))
      throw new EdxmlError('EDXML_UNKNOWN_STATUS', JSON.stringify(code), `${mh.path}/StatusCode`);
    status.statusCode = code as StatusCode;
    put(status, 'description', mh.str('Description'));
    status.timestamp = mh.timestamp('Timestamp', true);
    mh.finish();
    header.finish();
    env.finish();
    root.finish();
    return { kind: 'status', status, signed, warnings: ctx.warnings };
  }

  const edocHeader = mapEdocHeader(mh);
  mh.finish();
  const edoc: Edoc = { header: edocHeader, traceHeaders: [], manifest: [] };
  const thl = header.one('TraceHeaderList');
  if (thl) {
    edoc.traceHeaders = thl.many('TraceHeader').map((t) => {
      const v = { organId: t.organId('OrganId', true), timestamp: t.timestamp('Timestamp', true) };
      t.finish();
      return v;
    });
    const b = thl.one('Bussiness');
    if (b) edoc.business = mapBusiness(b);
    thl.finish((a) => a.uri === '' && TRACE_LIST_ATTRIBUTES.has(a.local));
  }
  header.finish();
  edoc.manifest = mapManifest(env.one('edXMLBody'));
  env.finish();
  const atts = mapAttachments(root);
  root.finish();

  const byId = new Map<string, (typeof atts)[number]>();
  for (const a of atts) {
    if (byId.has(a.meta.contentId))
      throw new EdxmlError('EDXML_DUPLICATE_CONTENT_ID', a.meta.contentId, `${a.path}/ContentId`);
    byId.set(a.meta.contentId, a);
  }
  const refIds = new Set<string>();
  edoc.manifest.forEach((r, i) => {
    const path = `/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[${i + 1}]/ContentId`;
    if (refIds.has(r.contentId)) throw new EdxmlError('EDXML_DUPLICATE_CONTENT_ID', r.contentId, path);
    refIds.add(r.contentId);
    if (!byId.has(r.contentId)) throw new EdxmlError('EDXML_ATTACHMENT_MISSING', r.contentId, path);
  });
  for (const a of atts)
    if (!refIds.has(a.meta.contentId))
      ctx.tolerate('EDXML_ATTACHMENT_UNREFERENCED', a.meta.contentId, a.path);

  const attachments: ParsedAttachment[] = atts.map(({ meta, content }) => {
    const p: ParsedAttachment = { ...meta, size: content.size, sha256: content.sha256 };
    put(p, 'content', content.content);
    return p;
  });
  return { kind: 'edoc', edoc, attachments, signed, warnings: ctx.warnings };
}

// ---------------------------------------------------------------------------------------------
// Entry points

function setup(options: ParseOptions, async: boolean) {
  const ctx = new Ctx(options.mode === 'strict');
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const tree = new TreeBuilder(limits.maxFieldLength, options.attachments ?? 'collect', async);
  const tokenizer = new XmlTokenizer(tree, {
    limits,
    onLeadingJunk: (junk) => {
      if (ctx.strict) return false;
      if (junk.length > MAX_LEADING_JUNK || !/^[\x20-\x7e\t\r\n]*$/.test(junk) || /[<>&]/.test(junk))
        return false;
      ctx.warn('EDXML_LEADING_JUNK', `skipped ${JSON.stringify(junk)}`);
      return true;
    },
    onUndeclaredPrefix: (prefix) => {
      if (ctx.strict) return undefined;
      const uri = prefix === 'xlink' ? XLINK_NS : prefix === 'edXML' ? EDXML_NS : undefined;
      if (uri) ctx.warn('EDXML_UNDECLARED_PREFIX', `"${prefix}" bound to ${uri}`);
      return uri;
    },
  });
  return { ctx, tree, feeder: new Feeder(tokenizer, limits.maxBytes) };
}

/**
 * Parses an edXML message held in memory. Attachment sinks must be synchronous here; use
 * parseEdxml for streams and asynchronous sinks.
 */
export function parseEdxmlSync(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const { ctx, tree, feeder } = setup(options, false);
  try {
    feedSync(feeder, input);
    return mapDocument(ctx, tree);
  } catch (e) {
    tree.abort(e);
    throw e;
  }
}

/**
 * Parses an edXML message from a string, bytes or a stream of byte chunks. Attachment content is
 * decoded as it arrives and goes to `options.attachments` (collected by default); the sink's
 * promises are awaited before more input is read.
 */
export async function parseEdxml(input: EdxmlInput, options: ParseOptions = {}): Promise<ParseResult> {
  const { ctx, tree, feeder } = setup(options, true);
  try {
    await feedAsync(feeder, input, () => tree.drain());
    return mapDocument(ctx, tree);
  } catch (e) {
    tree.abort(e);
    throw e;
  }
}
