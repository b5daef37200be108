/**
 * Verifies every signature of a PDF (PAdES / adbe.pkcs7.detached) as TT 15/2025 §2.4 + Phụ lục II
 * asks (STANDARDS §8.3): integrity, the signature, algorithms, the chain to the given trust
 * anchors, validity at signing time, key usage, revocation. Pure: bytes in, report out; the
 * network only through `opts.revocation`.
 */
import { PdfFile } from './pdf-file.ts';
import { decodeStream, latin1, PdfDict, PdfParseError, PdfStream, type PdfString } from './pdf-objects.ts';
import type { SignatureReport, VerificationCheck, VerificationReport } from './report.ts';
import { formatViDateTime } from './report.ts';
import type { RevocationSource } from './types.ts';
import {
  b64,
  buildChain,
  type CertInfo,
  chainChecks,
  checkAlgorithms,
  checkCms,
  cmsEmbeddedCrls,
  cmsSigningTime,
  isTsa,
  keyUsageCheck,
  loadCert,
  nameAttr,
  type ParsedCms,
  parseCms,
  revocationCheck,
  timestampTime,
  timestampToken,
  validityCheck,
} from './verify-cert.ts';
import { classifyModifications, type FoundSignature, findSignatures } from './verify-pdf.ts';

export interface VerifyOptions {
  /** DER root certificates trusted (e.g. the NEAC root and the CAs it recognises). Empty: nothing is trusted. */
  trustAnchors: Uint8Array[];
  /** The verification time (default: now). */
  now?: Date;
  revocation?: RevocationSource;
  /** Accept SHA-1 with a warning (legacy documents); otherwise SHA-1 makes a signature invalid. */
  allowSha1?: boolean;
}

export { PdfParseError };

/** Reads the PDF and verifies each signature; throws PdfParseError only when the file is not a readable PDF. */
export async function verifyPdf(pdf: Uint8Array, opts: VerifyOptions): Promise<VerificationReport> {
  const now = opts.now ?? new Date();
  const anchors: CertInfo[] = [];
  for (const der of opts.trustAnchors) anchors.push(loadCert(der));
  let file: PdfFile;
  let found: FoundSignature[];
  try {
    file = new PdfFile(pdf);
    found = findSignatures(file);
  } catch (e) {
    throw e instanceof PdfParseError ? e : new PdfParseError((e as Error).message);
  }
  const signatures: SignatureReport[] = [];
  for (const [i, sig] of found.entries())
    signatures.push(await verifyOne(file, sig, i + 1, anchors, opts, now));
  return {
    valid: signatures.length > 0 && signatures.every((s) => s.valid),
    trusted: signatures.length > 0 && signatures.every((s) => s.trusted),
    verifiedAt: now.toISOString(),
    signatures,
  };
}

async function verifyOne(
  file: PdfFile,
  sig: FoundSignature,
  index: number,
  anchors: CertInfo[],
  opts: VerifyOptions,
  now: Date,
): Promise<SignatureReport> {
  const buf = file.buf;
  const checks: VerificationCheck[] = [];
  const [a = -1, b = -1, c = -1, d = -1] = sig.byteRange;
  const end = c + d;
  const report: SignatureReport = {
    index,
    fieldName: sig.fieldName,
    signer: { subject: sig.name ?? '' },
    byteRange: sig.byteRange,
    coversWholeDocument: false,
    modificationsAfter: 'none',
    valid: false,
    trusted: false,
    checks,
    certificates: [],
    revocationData: [],
    reason: sig.reason,
  };
  if (sig.pdfSigningTime) {
    report.signingTime = sig.pdfSigningTime.toISOString();
    report.signingTimeSource = 'pdf';
  }

  // 1. The byte range: from 0 to the end of a revision, leaving out exactly the /Contents string.
  const rangeOk =
    a === 0 &&
    b === sig.contents.start &&
    c === sig.contents.end &&
    d >= 0 &&
    end <= buf.length &&
    b > 0 &&
    c > b;
  const revision = rangeOk ? file.revisionEndingAt(end) : -1;
  if (!rangeOk || revision < 0) {
    checks.push({
      code: 'INTEGRITY',
      status: 'failed',
      message: !rangeOk
        ? 'Phạm vi ký (/ByteRange) không bao trọn tài liệu trừ đúng phần chứa chữ ký'
        : 'Phạm vi ký không kết thúc tại cuối một phiên bản của tài liệu',
    });
    return finish(report);
  }
  report.coversWholeDocument =
    end === buf.length || /^[\s\0]*$/.test(Buffer.from(buf.subarray(end)).toString('latin1'));
  if (!report.coversWholeDocument) {
    const findings = classifyModifications(file, revision);
    // Bytes after the signed revision that no later cross-reference section accounts for (objects
    // appended without an xref are picked up by readers that repair files).
    const trailing = Buffer.from(buf.subarray(end)).toString('latin1');
    if (revision === file.sections.length - 1 && !/^[\s\0]*(%[^\r\n]*[\s\0]*)*$/.test(trailing))
      findings.push({
        kind: 'suspicious',
        objectNumber: 0,
        what: 'unexplained bytes after the signed revision',
      });
    // A certification signature forbidding any change (DocMDP P=1).
    if (docMdpPermission(file, sig) === 1)
      findings.push({
        kind: 'suspicious',
        objectNumber: sig.objectNumber,
        what: 'DocMDP P=1: no change allowed',
      });
    const bad = findings.filter((f) => f.kind === 'suspicious');
    report.modificationsAfter = bad.length ? 'suspicious' : 'allowed';
    if (bad.length)
      checks.push({
        code: 'INTEGRITY',
        status: 'failed',
        message: `Tài liệu đã bị sửa đổi nội dung sau khi ký (${bad.length} đối tượng bị thay đổi: ${bad
          .slice(0, 5)
          .map((f) => `${f.objectNumber} — ${f.what}`)
          .join('; ')})`,
      });
    else
      checks.push({
        code: 'INTEGRITY',
        status: 'ok',
        message: 'Sau khi ký, tài liệu chỉ được bổ sung chữ ký số hoặc trường ký (thay đổi được phép)',
      });
  }

  // 2. The CMS.
  const signed = [buf.subarray(0, b), buf.subarray(c, end)];
  let cms: ReturnType<typeof parseCms>;
  try {
    cms = parseCms(contentsDer(buf, sig.contents));
  } catch (e) {
    checks.push({
      code: 'CRYPTO',
      status: 'failed',
      message: `Không đọc được dữ liệu chữ ký (CMS): ${(e as Error).message}`,
    });
    return finish(report);
  }
  const cmsResult = checkCms(cms, signed);
  checks.push(...cmsResult.checks);
  report.algorithm = cmsResult.algorithm;
  const signer = cms.signer;
  if (!signer) return finish(report);
  report.signer = {
    subject: signer.subject,
    commonName: nameAttr(signer.p.subject, 'CN'),
    organization: nameAttr(signer.p.subject, 'O'),
  };
  report.issuer = signer.issuer;
  report.serial = signer.serial;

  // Signing time: a matching timestamp whose token verifies and chains to an anchor, else claimed.
  let signingTime = sig.pdfSigningTime;
  let proven = false;
  const cmsTime = cmsSigningTime(cms);
  if (cmsTime) {
    signingTime = cmsTime;
    report.signingTimeSource = 'cms';
  }
  const ts = await timestamp(cms, anchors);
  if (ts?.trusted) {
    signingTime = ts.time;
    proven = true;
    report.signingTimeSource = 'timestamp';
  } else if (ts)
    checks.push({
      code: 'CHAIN',
      status: 'warning',
      message: `Dấu thời gian do "${ts.authority}" cấp chưa xác thực được (không dẫn tới chứng thư gốc tin cậy, hoặc chứng thư không dùng để cấp dấu thời gian): thời điểm ký lấy theo khai báo`,
    });
  if (signingTime) report.signingTime = signingTime.toISOString();
  if (signingTime && signingTime.getTime() > now.getTime() + 5 * 60_000)
    checks.push({
      code: 'VALIDITY',
      status: 'failed',
      message: `Thời điểm ký (${formatViDateTime(signingTime)}) ở sau thời điểm kiểm tra`,
    });

  // 3. Chain, algorithms, validity, key usage, revocation.
  const chain = buildChain(signer, cms.certificates, anchors);
  report.certificates = chain.certs.map((x) => b64(x.der));
  for (const extra of cms.certificates)
    if (!chain.certs.includes(extra)) report.certificates.push(b64(extra.der));
  const cc = chainChecks(chain);
  checks.push(cc.chain);
  const digests = [{ what: 'Chữ ký', digest: cmsResult.signatureDigest ?? cms.digest }];
  if (cms.digest !== digests[0]?.digest) digests.push({ what: 'Giá trị băm tài liệu', digest: cms.digest });
  for (const s of cc.sha1) digests.push({ what: `Chứng thư ${s}`, digest: 'sha1' });
  checks.push(checkAlgorithms(digests, signer, opts.allowSha1 ?? false));
  checks.push(validityCheck(chain, signingTime, now));
  checks.push(keyUsageCheck(signer));
  const rev = await revocationCheck(chain, opts.revocation, signingTime, proven, now, [
    ...cmsEmbeddedCrls(cms),
    ...dssCrls(file),
  ]);
  checks.push(rev.check);
  report.revocationData = rev.evidence;
  report.trusted = chain.trusted;
  return finish(report);
}

/**
 * The CMS of a signature's /Contents. The CMS reader only reads the first DER element (the rest is
 * zero padding), so when the hex is plain and the element's length is definite only that element
 * is decoded; otherwise the whole string.
 */
function contentsDer(buf: Uint8Array, contents: PdfString): Uint8Array {
  if (contents.hex && contents.start >= 0) {
    // Node's hex decoder stops at the first non-hex pair, so a full-length result means clean hex.
    const plainHex = (from: number, to: number) => Buffer.from(latin1(buf, from, to), 'hex');
    const from = contents.start + 1;
    const to = contents.end - 1;
    const head = plainHex(from, Math.min(to, from + 12));
    // A low tag number, then a short or long definite length.
    if (head.length >= 2 && (head[0]! & 0x1f) !== 0x1f && head[1] !== 0x80) {
      const n = head[1]! & 0x80 ? head[1]! & 0x7f : 0;
      if (n <= 4 && head.length >= 2 + n) {
        let len = n ? 0 : head[1]!;
        for (let i = 0; i < n; i++) len = len * 256 + head[2 + i]!;
        const total = 2 + n + len;
        if (2 * total <= to - from) {
          const der = plainHex(from, from + 2 * total);
          if (der.length === total) return new Uint8Array(der.buffer, der.byteOffset, der.length);
        }
      }
    }
  }
  return contents.bytes;
}

/** The CRL streams of the document security store (/DSS /CRLs, PAdES-LTV). */
function dssCrls(file: PdfFile): Uint8Array[] {
  try {
    const root = file.resolve(file.sections.at(-1)?.trailer.get('Root'));
    const dss = root instanceof PdfDict ? file.resolve(root.get('DSS')) : null;
    const crls = dss instanceof PdfDict ? file.resolve(dss.get('CRLs')) : null;
    const out: Uint8Array[] = [];
    for (const c of Array.isArray(crls) ? crls : []) {
      const st = file.resolve(c);
      if (st instanceof PdfStream) out.push(decodeStream(st));
    }
    return out;
  } catch {
    return [];
  }
}

/** The /P of a DocMDP transform in the signature's /Reference (certification signature), if any. */
function docMdpPermission(file: PdfFile, sig: FoundSignature): number | undefined {
  const refs = file.resolve(sig.dict.get('Reference'));
  for (const r of Array.isArray(refs) ? refs : []) {
    const d = file.resolve(r);
    if (!(d instanceof PdfDict) || d.name('TransformMethod') !== 'DocMDP') continue;
    const params = file.resolve(d.get('TransformParams'));
    const p = params instanceof PdfDict ? params.get('P') : undefined;
    return typeof p === 'number' ? p : 2;
  }
  return undefined;
}

function finish(r: SignatureReport): SignatureReport {
  r.valid = r.checks.length > 0 && r.checks.every((c) => c.status !== 'failed' || c.code === 'CHAIN');
  r.trusted = r.trusted && r.checks.some((c) => c.code === 'CHAIN' && c.status === 'ok');
  return r;
}

async function timestamp(
  cms: ParsedCms,
  anchors: CertInfo[],
): Promise<{ time: Date; trusted: boolean; authority: string } | undefined> {
  const time = timestampTime(cms);
  if (!time) return undefined;
  const der = timestampToken(cms);
  if (!der) return undefined;
  try {
    const tcms = parseCms(der);
    const eContent = tcms.eContent;
    if (!eContent || !tcms.signer) return undefined;
    const r = checkCms(tcms, eContent);
    if (r.checks.some((x) => x.status !== 'ok')) return undefined;
    const tsa = tcms.signer;
    const trusted =
      isTsa(tsa) &&
      tsa.notBefore <= time &&
      time <= tsa.notAfter &&
      buildChain(tsa, tcms.certificates, anchors).trusted;
    return { time, trusted, authority: nameAttr(tsa.p.subject, 'CN') ?? tsa.subject };
  } catch {
    return undefined;
  }
}
