import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SigningInput } from '@congvu/contracts';
import {
  type Appearance,
  completeSignature,
  completeTimestampedSignature,
  type PageBox,
  pageBoxes,
  prepareSignature,
  type RawSigner,
  renderReportVi,
  type SignOptions,
  signatureWidgets,
  signPdf,
  type TimestampAuthority,
  type VerificationReport,
} from '@congvu/pades';
import type { Db } from '../../db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import type { BlobStore } from '../../platform/files/store.ts';
import type {
  AgencySignRequest,
  Challenge,
  DocumentFile,
  PersonalSignRequest,
  Signer,
} from '../documents/signer.ts';
import type { FormSigner, FormSignRequest, SignedFormFile } from '../dossiers/form-signer.ts';
import {
  challengeOf,
  memorySigningSessionStore,
  newPendingSignature,
  type PendingSignature,
  type SigningSessionStore,
  verifyClientSignature,
} from './client-flow.ts';
import { pkcs12Signer } from './key-signer.ts';
import { signingRepo } from './repo.ts';

/**
 * The signing module's answer to the documents hook: visible PAdES signatures placed as NĐ 30
 * Phụ lục I says, made with the holder's PKCS#12 (password given now, key opened in memory only)
 * or on the holder's token (client-side flow), then verified against the trust store before
 * anything is kept. A signed file that does not verify is never returned.
 */

const MM = 72 / 25.4;
const RIGHT_MARGIN = 20 * MM;
const TOP_MARGIN = 20 * MM;
const DEFAULT_SEAL_MM = 36;

const fontPath = createRequire(import.meta.url).resolve(
  '@expo-google-fonts/tinos/400Regular/Tinos_400Regular.ttf',
);
let font: Uint8Array | null = null;
const tinos = () => {
  font ??= new Uint8Array(readFileSync(fontPath));
  return font;
};

/** dd/MM/yyyy HH:mm:ss +07:00 — the signing time as Phụ lục I shows it (Việt Nam time, ISO 8601 offset). */
export function vnSigningTime(d: Date): string {
  const t = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(t.getUTCDate())}/${p(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +07:00`;
}

type Credential = NonNullable<Awaited<ReturnType<ReturnType<typeof signingRepo>['activeCredential']>>>;

interface Plan {
  file: DocumentFile & { position?: number };
  pdf: Uint8Array;
  options: SignOptions;
}

export interface DocumentSignerDeps {
  db: Db;
  blobs: BlobStore;
  verify(pdf: Uint8Array): Promise<VerificationReport>;
  sessions?: SigningSessionStore;
  /** RFC 3161 authority for PAdES B-T, when configured. */
  timestampAuthority?: TimestampAuthority;
  now?: () => Date;
}

type SubjectKind = 'document.personal' | 'document.agency' | 'dossier.form';

/** Also the one-stop forms' hook (dossiers/form-signer.ts): the agency's signature on a form. */
export function documentSigner(deps: DocumentSignerDeps): Signer & FormSigner {
  const repo = signingRepo(deps.db);
  const sessions = deps.sessions ?? memorySigningSessionStore();
  const now = deps.now ?? (() => new Date());

  async function credential(holder: { officialId: string } | { agencyId: string }): Promise<Credential> {
    const c = await repo.activeCredential(holder);
    if (!c) throw new AppError('SIGNING_NO_CREDENTIAL');
    return c;
  }
  const chainOf = (c: Credential) => [
    new Uint8Array(c.certificate),
    ...c.chain.map((x) => new Uint8Array(x)),
  ];

  async function readPdf(file: DocumentFile): Promise<Uint8Array> {
    const bytes = new Uint8Array(await deps.blobs.read(file.sha256));
    if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-')
      throw new AppError('SIGNING_FILE_NOT_PDF');
    return bytes;
  }
  async function imageOf(c: Credential): Promise<Uint8Array | undefined> {
    return c.image_sha256 ? new Uint8Array(await deps.blobs.read(c.image_sha256)) : undefined;
  }

  function keyOf(c: Credential, password: string): RawSigner {
    if (c.kind !== 'pkcs12' || !c.pkcs12) throw new AppError('SIGNING_METHOD_MISMATCH');
    let signer: RawSigner;
    try {
      signer = pkcs12Signer(new Uint8Array(c.pkcs12), password);
    } catch {
      throw new AppError('SIGNING_PASSWORD_WRONG');
    }
    return signer;
  }

  // --- Placement (Phụ lục I)

  async function personalPlan(req: PersonalSignRequest, c: Credential, at: Date): Promise<Plan> {
    const pdf = await readPdf(req.file);
    const pages = pageBoxes(pdf);
    const page = pages.length - 1;
    const box = pages[page] as PageBox;
    const w = 230;
    const h = 74;
    const appearance: Appearance = {
      rect: [box.x + box.width - RIGHT_MARGIN - w, box.y + 150, w, h],
      image: await imageOf(c),
      font: tinos(),
      fontSize: 8,
      lines: [
        `Ký bởi: ${req.stamp.name}`,
        ...(req.stamp.position ? [`Chức vụ: ${req.stamp.position}`] : []),
        `Thời gian ký: ${vnSigningTime(at)}`,
      ],
    };
    return {
      file: req.file,
      pdf,
      options: {
        name: req.stamp.name,
        reason: 'Ký ban hành văn bản',
        signingTime: at,
        page,
        appearance,
        fieldName: `KyCaNhan_${at.getTime()}`,
      },
    };
  }

  async function agencyPlans(req: AgencySignRequest, c: Credential, at: Date): Promise<Plan[]> {
    const time = `Thời gian ký: ${vnSigningTime(at)}`;
    const pdf = await readPdf(req.file);
    const seal = await imageOf(c);
    const d = (c.seal_diameter_mm ? Number(c.seal_diameter_mm) : DEFAULT_SEAL_MM) * MM;
    const fontSize = 7;
    const textH = 2 * fontSize * 1.2 + 4;
    const w = Math.max(d, 170);
    const h = d + textH;
    // The seal covers about a third of the signer's signature image, on its left.
    const signer = signatureWidgets(pdf)
      .filter((x) => x.rect[2] > 0 && x.rect[3] > 0)
      .at(-1);
    let page: number;
    let cx: number;
    let cy: number;
    if (signer) {
      page = signer.page;
      const [x, y, sw, sh] = signer.rect;
      const imageW = Math.min(sw * 0.45, sh * 2.5); // the image part of a side-by-side stamp
      cx = x + imageW / 3 - d / 2;
      cy = y + sh / 2;
    } else {
      const pages = pageBoxes(pdf);
      page = pages.length - 1;
      const box = pages[page] as PageBox;
      cx = box.x + box.width - RIGHT_MARGIN - 115 - d / 2;
      cy = box.y + 150 + 37;
    }
    const main: Plan = {
      file: req.file,
      pdf,
      options: {
        name: req.agencyName,
        reason: 'Ký số của cơ quan, tổ chức (phát hành văn bản)',
        signingTime: at,
        page,
        fieldName: `KyCoQuan_${at.getTime()}`,
        appearance: {
          rect: [cx - w / 2, cy - d / 2 - textH, w, h],
          image: seal,
          layout: 'stacked',
          font: tinos(),
          fontSize,
          lines: [req.agencyName, time],
        },
      },
    };
    const plans = [main];
    for (const a of req.appendices) {
      const apdf = await readPdf(a);
      const box = pageBoxes(apdf)[0] as PageBox;
      const aw = 200;
      const ah = 30;
      plans.push({
        file: a,
        pdf: apdf,
        options: {
          name: req.agencyName,
          reason: `Ký số của cơ quan, tổ chức (phụ lục văn bản ${req.notation})`,
          signingTime: at,
          page: 0,
          fieldName: `KyCoQuan_PhuLuc_${at.getTime()}`,
          appearance: {
            rect: [box.x + box.width - RIGHT_MARGIN - aw, box.y + box.height - TOP_MARGIN / 2 - ah, aw, ah],
            font: tinos(),
            fontSize: 10,
            lines: [req.notation, time],
          },
        },
      });
    }
    return plans;
  }

  /**
   * A one-stop form carries no personal signature: the agency's signature (text, no seal image)
   * goes at the top right of its first page, as NĐ 30 Phụ lục I places it on attached documents,
   * where it never covers the form's content. The session subject is the form's content hash.
   */
  function formPlan(req: FormSignRequest, at: Date): Plan {
    if (Buffer.from(req.pdf.subarray(0, 5)).toString('latin1') !== '%PDF-')
      throw new AppError('SIGNING_FILE_NOT_PDF');
    const box = pageBoxes(req.pdf)[0] as PageBox;
    const w = 230;
    const h = 36;
    return {
      file: { sha256: req.contentSha256, name: req.fileName },
      pdf: req.pdf,
      options: {
        name: req.agencyName,
        reason: `Ký số của cơ quan, tổ chức (${req.title}, hồ sơ ${req.code})`,
        signingTime: at,
        page: 0,
        fieldName: `KyCoQuan_Phieu_${at.getTime()}`,
        appearance: {
          rect: [box.x + box.width - RIGHT_MARGIN - w, box.y + box.height - TOP_MARGIN / 2 - h, w, h],
          font: tinos(),
          fontSize: 8,
          lines: [req.agencyName, `Mã hồ sơ: ${req.code}`, `Thời gian ký: ${vnSigningTime(at)}`],
        },
      },
    };
  }

  // --- Signing, then verifying what was signed

  async function withPassword(plans: Plan[], c: Credential, password: string): Promise<Uint8Array[]> {
    const key = keyOf(c, password);
    const chain = await key.certificateChain();
    if (!Buffer.from(chain[0] ?? []).equals(c.certificate)) throw new AppError('SIGNING_CREDENTIAL_INVALID');
    return Promise.all(
      plans.map((p) => signPdf(p.pdf, key, { ...p.options, timestampAuthority: deps.timestampAuthority })),
    );
  }

  async function start(
    kind: SubjectKind,
    documentId: string,
    officialId: string,
    plans: Plan[],
    c: Credential,
  ): Promise<Challenge[]> {
    if (c.kind !== 'token') throw new AppError('SIGNING_METHOD_MISMATCH');
    const chain = chainOf(c);
    const out: Challenge[] = [];
    for (const p of plans) {
      const prep = await prepareSignature(p.pdf, { ...p.options, certificateChain: chain });
      const pending = newPendingSignature(
        {
          officialId,
          subject: { kind, id: `${documentId}:${p.file.sha256}` },
          algorithm: algorithmOf(c),
          certificateChain: chain,
          signedAttributes: prep.signedAttributes,
          state: prep.prepared,
        },
        now(),
      );
      await sessions.put(pending);
      out.push({ ...challengeOf(pending), fileName: p.file.name });
    }
    return out;
  }

  async function withToken(
    kind: SubjectKind,
    documentId: string,
    officialId: string,
    plans: Plan[],
    c: Credential,
    answers: { sessionId: string; signature: string }[],
  ): Promise<Uint8Array[]> {
    if (c.kind !== 'token') throw new AppError('SIGNING_METHOD_MISMATCH');
    const taken: PendingSignature[] = [];
    for (const a of answers) {
      const s = await sessions.take(a.sessionId, officialId, now());
      if (!s) throw new AppError('SIGNING_SESSION_INVALID');
      taken.push(s);
    }
    const answered = plans.map((p) => {
      const i = taken.findIndex(
        (s) => s.subject.kind === kind && s.subject.id === `${documentId}:${p.file.sha256}`,
      );
      const s = taken[i];
      if (!s || !Buffer.from(s.certificateChain[0] ?? []).equals(c.certificate))
        throw new AppError('SIGNING_SESSION_INVALID');
      const signature = new Uint8Array(Buffer.from(answers[i]!.signature, 'base64'));
      if (!verifyClientSignature(s, signature)) throw new AppError('SIGNING_SIGNATURE_INVALID');
      return { s, signature };
    });
    // PAdES B-T when an authority is configured: the token is over the token's signature value.
    const tsa = deps.timestampAuthority;
    return Promise.all(
      answered.map(({ s, signature }) =>
        tsa
          ? completeTimestampedSignature(s.state, signature, s.certificateChain, tsa)
          : completeSignature(s.state, signature, s.certificateChain),
      ),
    );
  }

  async function sign(
    kind: SubjectKind,
    documentId: string,
    officialId: string,
    plans: Plan[],
    c: Credential,
    signing: SigningInput,
  ): Promise<Uint8Array[]> {
    return 'password' in signing
      ? withPassword(plans, c, signing.password)
      : withToken(kind, documentId, officialId, plans, c, signing.sessions);
  }

  /** Keeps a signed file that verified: every signature valid and trusted, the newest by `c`. */
  async function keep(
    signed: Uint8Array,
    name: string,
    c: Credential,
    minSignatures: number,
  ): Promise<DocumentFile> {
    const report = await deps.verify(signed);
    const newest = report.signatures.at(-1);
    const own = newest?.certificates[0] === Buffer.from(c.certificate).toString('base64');
    if (!report.valid || !report.trusted || !own || report.signatures.length < minSignatures)
      throw new AppError('SIGNING_SIGNATURE_INVALID', { report: renderReportVi(report) });
    const stored = await deps.blobs.put(Buffer.from(signed));
    await filesRepo(deps.db).insertBlob({ sha256: stored.sha256, size: stored.size, mime: stored.type.mime });
    return { sha256: stored.sha256, name };
  }

  return {
    async signPersonal(req, signing) {
      const c = await credential({ officialId: req.officialId });
      const plan = await personalPlan(req, c, now());
      const [signed] = await sign('document.personal', req.documentId, req.officialId, [plan], c, signing);
      return keep(signed!, req.file.name, c, 1);
    },
    async startPersonal(req) {
      const c = await credential({ officialId: req.officialId });
      return start(
        'document.personal',
        req.documentId,
        req.officialId,
        [await personalPlan(req, c, now())],
        c,
      );
    },
    async signAgency(req, signing) {
      const c = await credential({ agencyId: req.agencyId });
      const plans = await agencyPlans(req, c, now());
      const signed = await sign('document.agency', req.documentId, req.clerkId, plans, c, signing);
      // The main file must carry the signer's signature and the agency's, both valid (NĐ 30 art. 5).
      const file = await keep(signed[0]!, req.file.name, c, 2);
      const appendices = [];
      for (let i = 1; i < plans.length; i++) {
        const a = req.appendices[i - 1]!;
        appendices.push({ ...(await keep(signed[i]!, a.name, c, 1)), position: a.position });
      }
      return { file, appendices };
    },
    async startAgency(req) {
      const c = await credential({ agencyId: req.agencyId });
      return start('document.agency', req.documentId, req.clerkId, await agencyPlans(req, c, now()), c);
    },
    async signForm(req, signing): Promise<SignedFormFile> {
      const c = await credential({ agencyId: req.agencyId });
      const plan = formPlan(req, now());
      const [signed] = await sign('dossier.form', req.dossierId, req.officerId, [plan], c, signing);
      const file = await keep(signed!, req.fileName, c, 1);
      return { ...file, certificateSubject: c.subject };
    },
    async startForm(req) {
      const c = await credential({ agencyId: req.agencyId });
      return start('dossier.form', req.dossierId, req.officerId, [formPlan(req, now())], c);
    },
  };
}

function algorithmOf(c: Credential): 'RSA-SHA256' | 'ECDSA-P256-SHA256' {
  return new X509Certificate(c.certificate).publicKey.asymmetricKeyType === 'ec'
    ? 'ECDSA-P256-SHA256'
    : 'RSA-SHA256';
}
