/**
 * XML Signature of edXML messages: one enveloped `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">`,
 * last child of edXML:edXMLHeader, as in the axis SDK samples.
 *
 * What is signed: Reference URI="" is the whole document, so the digest covers everything in it —
 * the envelope and the AttachmentEncoded block with the base64 content — minus the Signature
 * element itself (enveloped-signature transform), canonicalized with exclusive C14N without
 * comments. The canonical form is streamed into the hash, so a 50 MB attachment is never held.
 *
 * We sign with RSA-SHA256, SHA-256 digests and exclusive C14N. We verify that, and legacy
 * RSA-SHA1 / SHA-1 (warning EDXML_SIG_SHA1), inclusive C14N 1.0 and RSA-SHA512. Certificate trust
 * (chain, validity, revocation) is not checked here: the certificate is returned for the caller.
 */
import {
  createHash,
  createPrivateKey,
  type Hash,
  type KeyObject,
  sign,
  verify,
  X509Certificate,
} from 'node:crypto';
import { EdxmlError, type EdxmlIssue, type EdxmlWarning, issue } from './errors.ts';
import { decodeUtf8, type EdxmlInput, Feeder, feedAsync, feedSync } from './input.ts';
import { DSIG_NS, EDXML_NS } from './model.ts';
import { DEFAULT_LIMITS, type EdxmlLimits, MAX_LEADING_JUNK, type ParseMode } from './parse.ts';
import { C14N_EXCLUSIVE, C14N_INCLUSIVE, type C14nMode, Canonicalizer } from './xml/c14n.ts';
import { type StartTag, XML_NS, type XmlAttribute, type XmlHandler, XmlTokenizer } from './xml/tokenizer.ts';

export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

const SIGNATURE_METHODS: Record<string, { name: SignatureAlgorithm; hash: DigestAlgorithm }> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': { name: 'rsa-sha256', hash: 'sha256' },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { name: 'rsa-sha512', hash: 'sha512' },
  'http://www.w3.org/2000/09/xmldsig#rsa-sha1': { name: 'rsa-sha1', hash: 'sha1' },
};
const DIGEST_METHODS: Record<string, DigestAlgorithm> = {
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
};
const C14N_METHODS: Record<string, C14nMode> = {
  [C14N_EXCLUSIVE]: 'exclusive',
  [C14N_INCLUSIVE]: 'inclusive',
};
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export type SignatureAlgorithm = 'rsa-sha256' | 'rsa-sha512' | 'rsa-sha1';
export type DigestAlgorithm = 'sha256' | 'sha512' | 'sha1';

export interface SigningKey {
  /** RSA private key: a KeyObject, or PEM/DER (PKCS#8 or PKCS#1). */
  privateKey: KeyObject | string | Buffer;
  /** The signer's certificate: PEM, DER or an X509Certificate. */
  certificate: string | Uint8Array | X509Certificate;
}

export interface SignerCertificate {
  der: Buffer;
  pem: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
}

export interface VerifyResult {
  /** True when the digest matches and the signature value verifies with the embedded certificate. */
  valid: boolean;
  /** Why not, when not valid. */
  failure?: EdxmlIssue;
  algorithm?: {
    signature: SignatureAlgorithm;
    digest: DigestAlgorithm;
    /** Of SignedInfo. */
    canonicalization: C14nMode;
    /** Of the document (the Reference's transform; inclusive when none is given). */
    referenceCanonicalization: C14nMode;
  };
  /** The certificate whose key verified the signature (else the first one found). */
  certificate?: SignerCertificate;
  warnings: EdxmlWarning[];
}

export interface VerifyOptions {
  /** Lenient (default) skips short leading junk with a warning. Undeclared prefixes are never bound here. */
  mode?: ParseMode;
  limits?: Partial<EdxmlLimits>;
}

// ---------------------------------------------------------------------------------------------
// A captured subtree (the Signature element), replayed into a canonicalizer.

type CChild = CNode | string | { pi: string; data: string };
interface CNode {
  tag: StartTag;
  children: CChild[];
  /** xml:* attributes in scope from the ancestors (for inclusive C14N of a subtree). */
  inheritedXml: XmlAttribute[];
}

function replay(node: CNode, c14n: Canonicalizer): void {
  c14n.startElement(node.tag);
  for (const c of node.children) {
    if (typeof c === 'string') c14n.text(c);
    else if ('pi' in c) c14n.processingInstruction(c.pi, c.data);
    else replay(c, c14n);
  }
  c14n.endElement(node.tag);
}

function canonicalSubtree(node: CNode, mode: C14nMode): string {
  let s = '';
  const c14n = new Canonicalizer(
    (x) => {
      s += x;
    },
    { mode, inheritedXmlAttributes: node.inheritedXml },
  );
  replay(node, c14n);
  return s;
}

const elementsOf = (n: CNode): CNode[] =>
  n.children.filter((c): c is CNode => typeof c === 'object' && 'tag' in c);
const textOf = (n: CNode): string => n.children.map((c) => (typeof c === 'string' ? c : '')).join('');

function dsChildren(n: CNode, local: string): CNode[] {
  return elementsOf(n).filter((c) => c.tag.name.uri === DSIG_NS && c.tag.name.local === local);
}

function dsChild(n: CNode, local: string, path: string): CNode {
  const m = dsChildren(n, local);
  if (m.length !== 1)
    throw new EdxmlError(
      'EDXML_SIG_MALFORMED',
      `${m.length ? 'more than one' : 'no'} ${local}`,
      `${path}/${local}`,
    );
  return m[0] as CNode;
}

function algorithmOf(n: CNode, path: string): string {
  const a = n.tag.attributes.find((x) => x.uri === '' && x.local === 'Algorithm');
  if (!a) throw new EdxmlError('EDXML_SIG_MALFORMED', 'no Algorithm attribute', path);
  return a.value;
}

function noChildren(n: CNode, path: string): void {
  if (elementsOf(n).length)
    throw new EdxmlError('EDXML_SIG_UNSUPPORTED_ALGORITHM', `parameters of ${algorithmOf(n, path)}`, path);
}

function base64Of(n: CNode, path: string, code: 'EDXML_SIG_MALFORMED' | 'EDXML_SIG_BAD_CERTIFICATE'): Buffer {
  if (n.children.some((c) => typeof c !== 'string'))
    throw new EdxmlError(code, 'markup inside base64 content', path);
  const s = textOf(n).replace(/[ \t\r\n]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0 || s.length === 0)
    throw new EdxmlError(code, 'not base64', path);
  return Buffer.from(s, 'base64');
}

interface SignatureInfo {
  signedInfo: CNode;
  c14n: C14nMode;
  method: { name: SignatureAlgorithm; hash: DigestAlgorithm };
  referenceC14n: C14nMode;
  digest: DigestAlgorithm;
  digestValue: Buffer;
  signatureValue: Buffer;
  certificates: CNode[];
}

function readSignature(sig: CNode): SignatureInfo {
  const p = '/Signature';
  const signedInfo = dsChild(sig, 'SignedInfo', p);
  const sp = `${p}/SignedInfo`;
  const cm = dsChild(signedInfo, 'CanonicalizationMethod', sp);
  const c14n = C14N_METHODS[algorithmOf(cm, `${sp}/CanonicalizationMethod`)];
  if (!c14n)
    throw new EdxmlError(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
      algorithmOf(cm, sp),
      `${sp}/CanonicalizationMethod`,
    );
  noChildren(cm, `${sp}/CanonicalizationMethod`);
  const sm = dsChild(signedInfo, 'SignatureMethod', sp);
  const method = SIGNATURE_METHODS[algorithmOf(sm, `${sp}/SignatureMethod`)];
  if (!method)
    throw new EdxmlError('EDXML_SIG_UNSUPPORTED_ALGORITHM', algorithmOf(sm, sp), `${sp}/SignatureMethod`);
  noChildren(sm, `${sp}/SignatureMethod`);
  const refs = dsChildren(signedInfo, 'Reference');
  if (refs.length !== 1)
    throw new EdxmlError(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
      `${refs.length} References (exactly one is supported)`,
      sp,
    );
  const ref = refs[0] as CNode;
  const rp = `${sp}/Reference`;
  const uri = ref.tag.attributes.find((a) => a.uri === '' && a.local === 'URI');
  if (uri?.value !== '')
    throw new EdxmlError(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
      'Reference URI must be "" (the whole document)',
      rp,
    );
  const transforms = dsChildren(ref, 'Transforms');
  if (transforms.length !== 1)
    throw new EdxmlError('EDXML_SIG_MALFORMED', 'no Transforms', `${rp}/Transforms`);
  const list = dsChildren(transforms[0] as CNode, 'Transform').map((t) => {
    noChildren(t, `${rp}/Transforms/Transform`);
    return algorithmOf(t, `${rp}/Transforms/Transform`);
  });
  if (list[0] !== ENVELOPED_SIGNATURE || list.length > 2)
    throw new EdxmlError(
      'EDXML_SIG_UNSUPPORTED_ALGORITHM',
      `transforms ${list.join(', ')}`,
      `${rp}/Transforms`,
    );
  let referenceC14n: C14nMode = 'inclusive';
  if (list.length === 2) {
    const m = C14N_METHODS[list[1] as string];
    if (!m)
      throw new EdxmlError('EDXML_SIG_UNSUPPORTED_ALGORITHM', `transform ${list[1]}`, `${rp}/Transforms`);
    referenceC14n = m;
  }
  const dm = dsChild(ref, 'DigestMethod', rp);
  const digest = DIGEST_METHODS[algorithmOf(dm, `${rp}/DigestMethod`)];
  if (!digest)
    throw new EdxmlError('EDXML_SIG_UNSUPPORTED_ALGORITHM', algorithmOf(dm, rp), `${rp}/DigestMethod`);
  const digestValue = base64Of(dsChild(ref, 'DigestValue', rp), `${rp}/DigestValue`, 'EDXML_SIG_MALFORMED');
  const signatureValue = base64Of(
    dsChild(sig, 'SignatureValue', p),
    `${p}/SignatureValue`,
    'EDXML_SIG_MALFORMED',
  );
  const certificates = dsChildren(sig, 'KeyInfo').flatMap((k) =>
    dsChildren(k, 'X509Data').flatMap((d) => dsChildren(d, 'X509Certificate')),
  );
  return { signedInfo, c14n, method, referenceC14n, digest, digestValue, signatureValue, certificates };
}

// ---------------------------------------------------------------------------------------------
// The document pass: canonical form into the hash, the Signature captured.

const HEADER_PATH = ['edXML', 'edXMLEnvelope', 'edXMLHeader'];

/** Canonical text goes to the hash in pieces of at least this many characters. */
const HASH_PIECE = 16_384;

/** A hash fed with canonical text: small pieces (a tag each) are joined, one native call per ~16 Ki characters. */
class HashSink {
  private buf = '';
  constructor(private readonly hash: Hash) {}

  write(s: string): void {
    if (s.length >= HASH_PIECE) {
      this.flush();
      this.hash.update(s, 'utf8');
      return;
    }
    this.buf += s;
    if (this.buf.length >= HASH_PIECE) this.flush();
  }

  private flush(): void {
    if (this.buf.length) this.hash.update(this.buf, 'utf8');
    this.buf = '';
  }

  digest(): Buffer {
    this.flush();
    return this.hash.digest();
  }
}

class EnvelopeHandler implements XmlHandler {
  private readonly path: StartTag[] = [];
  private readonly xmlAttrs: XmlAttribute[][] = [];
  private capture: CNode[] = [];
  signature: CNode | undefined;
  signatures = 0;
  headerEnd: number | undefined;
  info: SignatureInfo | undefined;
  /** Canonical output before the algorithms are known (verify: both modes). */
  private pending: Record<C14nMode, string[]> | undefined;
  private hash: HashSink | undefined;
  private readonly c14n: Partial<Record<C14nMode, Canonicalizer>> = {};
  /** Where each canonicalizer writes; redirected to the hash once the algorithms are known. */
  private readonly target: Record<C14nMode, (s: string) => void> = {
    exclusive: () => {},
    inclusive: () => {},
  };
  private headerTag: StartTag | undefined;

  constructor(readonly purpose: 'sign' | 'verify') {
    if (purpose === 'sign') {
      const h = new HashSink(createHash('sha256'));
      this.hash = h;
      this.target.exclusive = (s) => h.write(s);
      this.c14n.exclusive = new Canonicalizer((s) => this.target.exclusive(s), { mode: 'exclusive' });
    } else {
      const pending: Record<C14nMode, string[]> = { exclusive: [], inclusive: [] };
      this.pending = pending;
      for (const mode of ['exclusive', 'inclusive'] as const) {
        this.target[mode] = (s) => pending[mode].push(s);
        this.c14n[mode] = new Canonicalizer((s) => this.target[mode](s), { mode });
      }
    }
  }

  private each(f: (c: Canonicalizer) => void): void {
    if (this.c14n.exclusive) f(this.c14n.exclusive);
    if (this.c14n.inclusive) f(this.c14n.inclusive);
  }

  private isHeader(tag: StartTag): boolean {
    return (
      tag.depth === 3 &&
      tag.name.uri === EDXML_NS &&
      this.path.every((t, i) => t.name.uri === EDXML_NS && t.name.local === HEADER_PATH[i]) &&
      tag.name.local === 'edXMLHeader'
    );
  }

  startElement(tag: StartTag): void {
    if (tag.depth === 1 && (tag.name.local !== 'edXML' || tag.name.uri !== EDXML_NS))
      throw new EdxmlError('EDXML_WRONG_ROOT', `{${tag.name.uri}}${tag.name.local}`);
    const parent = this.path[this.path.length - 1];
    if (this.isHeader(tag)) this.headerTag = tag;
    const inherited = this.xmlAttrs[this.xmlAttrs.length - 1] ?? [];
    const mine = tag.attributes.filter((a) => a.uri === XML_NS);
    const scopeXml = mine.length
      ? [...inherited.filter((a) => !mine.some((m) => m.local === a.local)), ...mine]
      : inherited;
    this.path.push(tag);
    this.xmlAttrs.push(scopeXml);
    const top = this.capture[this.capture.length - 1];
    if (top) {
      if (tag.name.uri === DSIG_NS && tag.name.local === 'Signature')
        throw new EdxmlError('EDXML_SIG_MULTIPLE');
      const node: CNode = { tag, children: [], inheritedXml: inherited };
      top.children.push(node);
      this.capture.push(node);
      return;
    }
    if (tag.name.local === 'Signature' && (tag.name.uri === DSIG_NS || tag.name.uri === EDXML_NS)) {
      const inHeader = parent !== undefined && tag.depth === 4 && this.isHeaderTag(parent);
      if (this.purpose === 'sign') throw new EdxmlError('EDXML_SIG_ALREADY_SIGNED');
      if (tag.name.uri === EDXML_NS) {
        if (inHeader) throw new EdxmlError('EDXML_SIGNATURE_NAMESPACE', 'Signature in the edXML namespace');
      } else {
        if (++this.signatures > 1) throw new EdxmlError('EDXML_SIG_MULTIPLE');
        if (!inHeader) throw new EdxmlError('EDXML_SIG_MISSING', 'a Signature outside edXMLHeader');
        const node: CNode = { tag, children: [], inheritedXml: inherited };
        this.signature = node;
        this.capture.push(node);
        return;
      }
    }
    this.each((c) => c.startElement(tag));
  }

  private isHeaderTag(t: StartTag): boolean {
    return t === this.headerTag;
  }

  text(chunk: string): void {
    const top = this.capture[this.capture.length - 1];
    if (top) top.children.push(chunk);
    else this.each((c) => c.text(chunk));
  }

  processingInstruction(target: string, data: string): void {
    const top = this.capture[this.capture.length - 1];
    if (top) top.children.push({ pi: target, data });
    else this.each((c) => c.processingInstruction(target, data));
  }

  endElement(tag: StartTag, offset: number): void {
    this.path.pop();
    this.xmlAttrs.pop();
    if (this.capture.length) {
      this.capture.pop();
      if (this.capture.length === 0 && this.signature) this.choose(readSignature(this.signature));
      return;
    }
    if (tag === this.headerTag) {
      this.headerEnd = offset;
      if (this.purpose === 'verify' && !this.signature) throw new EdxmlError('EDXML_SIG_MISSING');
    }
    this.each((c) => c.endElement(tag));
  }

  private choose(info: SignatureInfo): void {
    this.info = info;
    const h = new HashSink(createHash(info.digest));
    this.hash = h;
    const keep = info.referenceC14n;
    for (const s of this.pending?.[keep] ?? []) h.write(s);
    this.pending = undefined;
    this.target[keep] = (s) => h.write(s);
    this.c14n[keep === 'exclusive' ? 'inclusive' : 'exclusive'] = undefined;
  }

  digest(): Buffer {
    if (!this.hash) throw new EdxmlError('EDXML_SIG_MISSING');
    return this.hash.digest();
  }
}

function tokenizerFor(handler: XmlHandler, options: VerifyOptions, warnings: EdxmlWarning[]) {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const lenient = (options.mode ?? 'lenient') === 'lenient';
  const tokenizer = new XmlTokenizer(handler, {
    limits,
    onLeadingJunk: (junk) => {
      if (!lenient) return false;
      if (junk.length > MAX_LEADING_JUNK || !/^[\x20-\x7e\t\r\n]*$/.test(junk) || /[<>&]/.test(junk))
        return false;
      warnings.push(issue('EDXML_LEADING_JUNK', `skipped ${JSON.stringify(junk)}`));
      return true;
    },
  });
  return new Feeder(tokenizer, limits.maxBytes);
}

// ---------------------------------------------------------------------------------------------
// Signing

/**
 * The last signing key and certificate read, by the caller's values: a sender signs every message
 * with the same pair, and reading a PEM private key and certificate costs more than the RSA
 * signature itself.
 */
let lastSigner:
  | { key: SigningKey['privateKey']; cert: SigningKey['certificate']; pkey: KeyObject; x509: X509Certificate }
  | undefined;

function sameInput(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  return false;
}

/** The key and certificate, checked to belong together (cached for the last pair that did). */
function signerOf(key: SigningKey): { pkey: KeyObject; cert: X509Certificate } {
  const last = lastSigner;
  if (last && sameInput(last.key, key.privateKey) && sameInput(last.cert, key.certificate))
    return { pkey: last.pkey, cert: last.x509 };
  const cert = loadCertificate(key.certificate);
  const pkey = loadKey(key.privateKey);
  if (pkey.asymmetricKeyType !== 'rsa')
    throw new EdxmlError('EDXML_SIG_UNSUPPORTED_ALGORITHM', `${pkey.asymmetricKeyType} keys (RSA only)`);
  if (!cert.checkPrivateKey(pkey)) throw new EdxmlError('EDXML_SIG_KEY_MISMATCH');
  // Byte inputs are copied: the caller may change its buffer afterwards.
  const copy = <T>(x: T): T => (x instanceof Uint8Array ? (Buffer.from(x) as T) : x);
  lastSigner = { key: copy(key.privateKey), cert: copy(key.certificate), pkey, x509: cert };
  return { pkey, cert };
}

function loadCertificate(c: SigningKey['certificate']): X509Certificate {
  try {
    return c instanceof X509Certificate ? c : new X509Certificate(typeof c === 'string' ? c : Buffer.from(c));
  } catch (e) {
    throw new EdxmlError('EDXML_SIG_BAD_CERTIFICATE', (e as Error).message);
  }
}

function loadKey(k: SigningKey['privateKey']): KeyObject {
  try {
    return typeof k === 'object' && 'asymmetricKeyType' in k ? k : createPrivateKey(k as string | Buffer);
  } catch (e) {
    throw new EdxmlError('EDXML_SIG_KEY_MISMATCH', `private key cannot be read: ${(e as Error).message}`);
  }
}

function captureElement(xml: string): CNode {
  let root: CNode | undefined;
  const stack: CNode[] = [];
  const tokenizer = new XmlTokenizer(
    {
      startElement(tag) {
        const node: CNode = { tag, children: [], inheritedXml: [] };
        stack[stack.length - 1]?.children.push(node);
        if (!root) root = node;
        stack.push(node);
      },
      endElement() {
        stack.pop();
      },
      text(chunk) {
        stack[stack.length - 1]?.children.push(chunk);
      },
    },
    { limits: DEFAULT_LIMITS },
  );
  tokenizer.write(xml);
  tokenizer.end();
  if (!root) throw new EdxmlError('EDXML_SIG_MALFORMED', 'empty');
  return root;
}

/** Throws unless `xml` is one well-formed XML Signature element. */
export function assertSignatureElement(xml: string): void {
  let root: CNode;
  try {
    root = captureElement(xml);
  } catch (e) {
    if (e instanceof EdxmlError) throw new EdxmlError('EDXML_SIG_MALFORMED', e.message);
    throw e;
  }
  if (root.tag.name.uri !== DSIG_NS || root.tag.name.local !== 'Signature')
    throw new EdxmlError('EDXML_SIG_MALFORMED', 'not an XML Signature element');
}

function signatureFor(digest: Buffer, key: SigningKey): string {
  const { cert, pkey } = signerOf(key);
  const signedInfo =
    `<SignedInfo><CanonicalizationMethod Algorithm="${C14N_EXCLUSIVE}"/>` +
    `<SignatureMethod Algorithm="${RSA_SHA256}"/><Reference URI=""><Transforms>` +
    `<Transform Algorithm="${ENVELOPED_SIGNATURE}"/><Transform Algorithm="${C14N_EXCLUSIVE}"/></Transforms>` +
    `<DigestMethod Algorithm="${SHA256}"/><DigestValue>${digest.toString('base64')}</DigestValue>` +
    '</Reference></SignedInfo>';
  const wrapper = captureElement(`<Signature xmlns="${DSIG_NS}">${signedInfo}</Signature>`);
  const canonical = canonicalSubtree(dsChild(wrapper, 'SignedInfo', '/Signature'), 'exclusive');
  const value = sign('sha256', Buffer.from(canonical, 'utf8'), pkey).toString('base64');
  return (
    `<Signature xmlns="${DSIG_NS}">${signedInfo}<SignatureValue>${value}</SignatureValue>` +
    `<KeyInfo><X509Data><X509Certificate>${cert.raw.toString('base64')}</X509Certificate></X509Data></KeyInfo>` +
    '</Signature>'
  );
}

function checkSignable(h: EnvelopeHandler): void {
  if (h.headerEnd === undefined)
    throw new EdxmlError('EDXML_MISSING_ELEMENT', undefined, '/edXML/edXMLEnvelope/edXMLHeader');
}

/**
 * Signs an edXML message held in memory: returns it with the Signature added as the last child of
 * edXMLHeader (nothing else changes).
 */
export function signEnvelope(xml: string | Uint8Array, key: SigningKey): string {
  const text = typeof xml === 'string' ? xml : decodeUtf8(xml);
  if (text === undefined) throw new EdxmlError('EDXML_BAD_ENCODING');
  const h = new EnvelopeHandler('sign');
  feedSync(tokenizerFor(h, { mode: 'strict' }, []), text);
  checkSignable(h);
  const at = h.headerEnd as number;
  return text.slice(0, at) + signatureFor(h.digest(), key) + text.slice(at);
}

/**
 * The Signature element for a message read from a stream (two-pass signing of large messages):
 * pass the unsigned stream here, then build it again with buildEdocStream(..., { signature }).
 */
export async function createEnvelopeSignature(input: EdxmlInput, key: SigningKey): Promise<string> {
  const h = new EnvelopeHandler('sign');
  await feedAsync(tokenizerFor(h, { mode: 'strict' }, []), input, async () => {});
  checkSignable(h);
  return signatureFor(h.digest(), key);
}

// ---------------------------------------------------------------------------------------------
// Verification

function describeCertificate(c: X509Certificate): SignerCertificate {
  const b64 = c.raw.toString('base64');
  return {
    der: c.raw,
    pem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprint256: c.fingerprint256,
  };
}

/** A certificate read from a signature, with what was derived from it so far. */
interface KnownCertificate {
  x509: X509Certificate;
  publicKey?: KeyObject;
  described?: SignerCertificate;
}

/**
 * Certificates already read, by their base64 text (whitespace removed): messages from one sender
 * carry the same certificate, and parsing it took more time than the rest of verifying a small
 * message. Deterministic (same text, same certificate); bounded; trust is still the caller's.
 */
const certificates = new Map<string, KnownCertificate>();
const CERTIFICATE_CACHE = 64;

function readCertificate(n: CNode, path: string): KnownCertificate {
  const text = textOf(n).replace(/[ \t\r\n]+/g, '');
  const known = n.children.every((c) => typeof c === 'string') && certificates.get(text);
  if (known) return known;
  const der = base64Of(n, path, 'EDXML_SIG_BAD_CERTIFICATE');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (e) {
    throw new EdxmlError('EDXML_SIG_BAD_CERTIFICATE', (e as Error).message, path);
  }
  const c: KnownCertificate = { x509 };
  if (certificates.size >= CERTIFICATE_CACHE) certificates.delete(certificates.keys().next().value as string);
  certificates.set(text, c);
  return c;
}

/** The certificate's description; a copy each time, so that no caller sees another's changes. */
function describedCopy(c: KnownCertificate): SignerCertificate {
  c.described ??= describeCertificate(c.x509);
  return { ...c.described, der: Buffer.from(c.described.der) };
}

function conclude(h: EnvelopeHandler, warnings: EdxmlWarning[]): VerifyResult {
  const info = h.info;
  if (!info) throw new EdxmlError('EDXML_SIG_MISSING');
  const result: VerifyResult = {
    valid: false,
    algorithm: {
      signature: info.method.name,
      digest: info.digest,
      canonicalization: info.c14n,
      referenceCanonicalization: info.referenceC14n,
    },
    warnings,
  };
  if (info.method.hash === 'sha1' || info.digest === 'sha1')
    warnings.push(issue('EDXML_SIG_SHA1', `${info.method.name}, digest ${info.digest}`));
  if (info.certificates.length === 0) throw new EdxmlError('EDXML_SIG_NO_CERTIFICATE');
  const certs = info.certificates.map((n, i) =>
    readCertificate(n, `/Signature/KeyInfo/X509Data/X509Certificate[${i + 1}]`),
  );
  result.certificate = describedCopy(certs[0] as KnownCertificate);
  const digest = h.digest();
  if (!digest.equals(info.digestValue)) {
    result.failure = issue('EDXML_SIG_DIGEST_MISMATCH');
    return result;
  }
  const signedInfo = Buffer.from(canonicalSubtree(info.signedInfo, info.c14n), 'utf8');
  for (const c of certs) {
    let ok = false;
    try {
      c.publicKey ??= c.x509.publicKey;
      ok =
        c.publicKey.asymmetricKeyType === 'rsa' &&
        verify(info.method.hash, signedInfo, c.publicKey, info.signatureValue);
    } catch {
      ok = false;
    }
    if (ok) {
      result.valid = true;
      result.certificate = describedCopy(c);
      return result;
    }
  }
  result.failure = issue('EDXML_SIG_INVALID');
  return result;
}

function failed(e: unknown, warnings: EdxmlWarning[]): VerifyResult {
  if (e instanceof EdxmlError) return { valid: false, failure: e.toIssue(), warnings };
  throw e;
}

/** Verifies the signature of an edXML message held in memory. Never throws for a bad message. */
export function verifyEnvelopeSync(xml: string | Uint8Array, options: VerifyOptions = {}): VerifyResult {
  const warnings: EdxmlWarning[] = [];
  try {
    const h = new EnvelopeHandler('verify');
    feedSync(tokenizerFor(h, options, warnings), xml);
    return conclude(h, warnings);
  } catch (e) {
    return failed(e, warnings);
  }
}

/** Verifies the signature of an edXML message from a string, bytes or a stream (bounded memory). */
export async function verifyEnvelope(input: EdxmlInput, options: VerifyOptions = {}): Promise<VerifyResult> {
  const warnings: EdxmlWarning[] = [];
  try {
    const h = new EnvelopeHandler('verify');
    await feedAsync(tokenizerFor(h, options, warnings), input, async () => {});
    return conclude(h, warnings);
  } catch (e) {
    return failed(e, warnings);
  }
}
