/**
 * Online submission (issue 7): a citizen's draft of a dossier — the case's online form (packages/forms),
 * the papers (uploads or items of the data store) — then one submission that the dossiers service
 * turns into a `submitted` dossier (channel 2) in the same transaction as the draft is marked.
 * Owns online_drafts and admin_units. Other modules only through their services.
 */

import type { ProcedureDetail } from '@congvu/contracts';
import {
  type AdminUnit,
  FormDefinition,
  type FormValues,
  groupRowCount,
  knownRaw,
  type RawValues,
  validateForm,
} from '@congvu/forms';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../../db/pool.ts';
import type { DraftComponent } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/service.ts';
import { AppError } from '../../platform/errors.ts';
import { filesRepo } from '../../platform/files/repo.ts';
import { sniff } from '../../platform/files/sniff.ts';
import type { BlobStore } from '../../platform/files/store.ts';
import type { CitizenAuth } from '../../platform/policy.ts';
import { localDay } from '../../platform/vntime.ts';
import type { CitizensService } from '../citizens/service.ts';
import type { DossiersService } from '../dossiers/service.ts';
import type { ProceduresService } from '../procedures/service.ts';
import { editable, MAX_IMAGE_SIDE, ownDraft, UPLOAD_TYPES } from './policy.ts';
import { submissionsRepo } from './repo.ts';

export interface Meta {
  ip: string | null;
}

export type Draft = NonNullable<Awaited<ReturnType<ReturnType<typeof submissionsRepo>['findDraft']>>>;

/** The case of a procedure offered online: has channel 2. */
export const onlineCases = (p: ProcedureDetail) =>
  p.cases.filter((c) => c.channels.some((ch) => ch.channel === 2));

/** Business day in Việt Nam (UTC+7). */
const dayOf = localDay;

/**
 * The stored form of an uploaded paper: the real type sniffed (PDF, JPEG, PNG only); an image is
 * re-encoded (metadata dropped) and downscaled to at most MAX_IMAGE_SIDE on its longest side.
 */
export async function normaliseUpload(
  data: Buffer,
  maxBytes: number,
): Promise<{ data: Buffer; mime: string }> {
  if (data.length > maxBytes) throw new AppError('FILE_TOO_LARGE', { maxBytes });
  const t = sniff(data);
  if (!t || !UPLOAD_TYPES.has(t.mime)) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  if (t.mime === 'application/pdf') return { data, mime: t.mime };
  try {
    const img = sharp(data, { limitInputPixels: 100_000_000 })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const out =
      t.mime === 'image/png' ? await img.png().toBuffer() : await img.jpeg({ quality: 85 }).toBuffer();
    return { data: out, mime: t.mime };
  } catch {
    throw new AppError('FILE_TYPE_NOT_ALLOWED');
  }
}

export interface AdminUnitInput {
  code: string;
  name: string;
  level: 'province' | 'commune';
  parentCode: string | null;
  validFrom: string;
}

/** The administrative units (admin_units) for address fields: read on a day, loaded in bulk. */
export function adminUnitsService(db: Db, now: () => Date = () => new Date()) {
  const repo = submissionsRepo(db);
  return {
    async on(day: string = dayOf(now())): Promise<AdminUnit[]> {
      return (await repo.unitsOn(day)).map((u) => ({
        code: u.code,
        name: u.name,
        level: u.level,
        parentCode: u.parent_code,
      }));
    },
    /** Loads units (the demo province; a province loads the national list the same way). Idempotent. */
    async load(rows: AdminUnitInput[]) {
      await repo.upsertUnits(
        rows.map((u) => ({
          code: u.code,
          name: u.name,
          level: u.level,
          parent_code: u.parentCode,
          valid_from: u.validFrom,
          valid_to: null,
        })),
      );
    },
  };
}

export function submissionsService(
  db: Db,
  deps: {
    procedures: Pick<ProceduresService, 'get' | 'caseForReception'>;
    dossiers: Pick<DossiersService, 'submitOnline' | 'ownOnlineDossier' | 'citizenDossierCode'>;
    citizens: Pick<CitizensService, 'profile' | 'store'>;
    blobs: BlobStore;
    maxUploadBytes: number;
    now?: () => Date;
  },
) {
  const now = deps.now ?? (() => new Date());
  const repo = submissionsRepo(db);

  async function audit(trx: Db, meta: Meta, citizenId: string, action: string, id: string, summary = {}) {
    await recordAudit(
      trx,
      { auth: null, ip: meta.ip },
      {
        action: `submissions.${action}`,
        entityType: 'online_draft',
        entityId: id,
        summary: { citizenId, ...summary },
      },
    );
  }

  const adminUnits = adminUnitsService(db, now);
  const units = () => adminUnits.on();

  /** The draft with its procedure version, case and form; someone else's: 404. */
  async function load(auth: CitizenAuth, id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('SUBMISSION_DRAFT_NOT_FOUND');
    const draft = ownDraft(await repo.findDraft(id), auth.citizenId);
    const procedure = await deps.procedures.get(draft.procedure_id);
    const kase = procedure.cases.find((c) => c.id === draft.case_id);
    if (!kase) throw new AppError('SUBMISSION_DRAFT_NOT_FOUND');
    const form = kase.onlineForm ? FormDefinition.parse(kase.onlineForm) : null;
    const channel = kase.channels.find((c) => c.channel === 2) ?? null;
    const agency = procedure.agencies.find((a) => a.id === draft.agency_id) ?? null;
    return { draft, procedure, kase, form, channel, agency };
  }

  /** Changes a draft under its row lock, audited; a submitted draft refuses. */
  async function change(
    auth: CitizenAuth,
    meta: Meta,
    id: string,
    action: string,
    fn: (d: Draft, trx: Db) => Promise<Parameters<ReturnType<typeof submissionsRepo>['updateDraft']>[1]>,
    summary: Record<string, unknown> = {},
  ) {
    return db.transaction().execute(async (trx) => {
      const r = submissionsRepo(trx);
      const d = editable(ownDraft(await r.lockDraft(id), auth.citizenId));
      const patch = await fn(d, trx);
      const row = await r.updateDraft(id, patch);
      await audit(trx, meta, auth.citizenId, action, id, summary);
      return row;
    });
  }

  function missingPapers(kase: ProcedureDetail['cases'][number], comps: Record<string, DraftComponent>) {
    const groups = new Map<string, boolean>();
    const missing: string[] = [];
    for (const s of kase.components) {
      if (!s.required) continue;
      if (s.alternativeGroup)
        groups.set(s.alternativeGroup, (groups.get(s.alternativeGroup) ?? false) || !!comps[s.id]);
      else if (!comps[s.id]) missing.push(s.id);
    }
    for (const s of kase.components)
      if (s.alternativeGroup && groups.get(s.alternativeGroup) === false && !missing.includes(s.id))
        missing.push(s.id);
    return missing;
  }

  return {
    units,
    adminUnits,

    /** A new draft of a case offered online at one of the procedure's receiving agencies. */
    async start(
      auth: CitizenAuth,
      meta: Meta,
      input: { procedure: ProcedureDetail; caseId: string; agencyId: string },
    ) {
      const p = input.procedure;
      const kase = onlineCases(p).find((c) => c.id === input.caseId);
      if (!kase || !p.agencies.some((a) => a.id === input.agencyId))
        throw new AppError('SUBMISSION_NOT_ONLINE');
      // Published, in force today, online channel: the same check the dossier will pass.
      await deps.procedures.caseForReception(kase.id, 2, dayOf(now()));
      const profile = await deps.citizens.profile(auth);
      // The applicant's contacts are filled in from the profile where the form asks for them.
      const values: RawValues = {};
      if (profile.phone) values.phone = profile.phone;
      if (profile.email) values.email = profile.email;
      return db.transaction().execute(async (trx) => {
        const row = await submissionsRepo(trx).insertDraft({
          id: uuidv7(),
          citizen_id: auth.citizenId,
          procedure_id: p.id,
          case_id: kase.id,
          agency_id: input.agencyId,
          step: 'form',
          values: JSON.stringify(values),
        });
        await audit(trx, meta, auth.citizenId, 'draft_created', row.id, { procedureCode: p.code });
        return row;
      });
    },

    load,

    /**
     * Saves what was typed (only the form's own names). `addRow`: one more row of that group.
     * `lang`: the validation messages' language (the portal page's).
     * `check`: validates too; on success the draft moves to the papers step.
     */
    async save(
      auth: CitizenAuth,
      meta: Meta,
      id: string,
      posted: Record<string, unknown>,
      o: { addRow?: string; check?: boolean; lang?: 'vi' | 'en' } = {},
    ) {
      const x = await load(auth, id);
      editable(x.draft);
      const raw = x.form ? knownRaw(x.form, posted) : {};
      if (o.addRow && x.form) {
        const g = x.form.fields.find((f) => f.key === o.addRow && f.type === 'group');
        if (g && g.type === 'group')
          raw[`${g.key}.__rows`] = String(Math.min(groupRowCount(raw, g) + 1, g.max));
      }
      let errors: Record<string, string> = {};
      if (o.check && x.form) {
        const r = validateForm(x.form, raw, {
          units: await units(),
          today: dayOf(now()),
          ...(o.lang && { lang: o.lang }),
        });
        if (!r.ok) errors = r.errors;
      }
      const ok = o.check && Object.keys(errors).length === 0;
      await change(auth, meta, id, 'draft_saved', async (d) => ({
        values: raw,
        ...(ok && d.step === 'form' && { step: 'papers' as const }),
      }));
      return { values: raw, errors };
    },

    /** A paper uploaded for a component: normalised (normaliseUpload), stored, put in the draft. */
    async attachFile(
      auth: CitizenAuth,
      meta: Meta,
      id: string,
      specId: string,
      file: { data: Buffer; name: string },
    ) {
      const x = await load(auth, id);
      const spec = x.kase.components.find((c) => c.id === specId);
      if (!spec) throw new AppError('DOSSIER_PROCEDURE_INVALID', { specId });
      const n = await normaliseUpload(file.data, deps.maxUploadBytes);
      const stored = await deps.blobs.put(n.data);
      return change(
        auth,
        meta,
        id,
        'paper_uploaded',
        async (d, trx) => {
          await filesRepo(trx).insertBlob({ sha256: stored.sha256, size: stored.size, mime: n.mime });
          const name = (file.name || spec.name).normalize('NFC').slice(0, 255);
          return {
            components: {
              ...d.components,
              [specId]: { kind: 'file', sha256: stored.sha256, name, mime: n.mime, size: stored.size },
            },
          };
        },
        { specId, sha256: stored.sha256, size: stored.size, mime: n.mime },
      );
    },

    /** An item of the citizen's own data store (by the profile's CCCD) as a paper. */
    async attachStoreItem(auth: CitizenAuth, meta: Meta, id: string, specId: string, storeItemId: string) {
      const x = await load(auth, id);
      if (!x.kase.components.some((c) => c.id === specId))
        throw new AppError('DOSSIER_PROCEDURE_INVALID', { specId });
      const item = (await deps.citizens.store(auth)).find((i) => i.id === storeItemId);
      if (!item) throw new AppError('DOSSIER_STORE_ITEM_INVALID', { storeItemId });
      return change(
        auth,
        meta,
        id,
        'paper_reused',
        async (d) => ({
          components: { ...d.components, [specId]: { kind: 'store', storeItemId, name: item.name } },
        }),
        { specId, storeItemId },
      );
    },

    async removePaper(auth: CitizenAuth, meta: Meta, id: string, specId: string) {
      return change(
        auth,
        meta,
        id,
        'paper_removed',
        async (d) => {
          const { [specId]: _gone, ...rest } = d.components;
          return { components: rest };
        },
        { specId },
      );
    },

    /** Required papers still missing (component spec ids). */
    missingPapers,

    /** To the review step once every required paper is there. */
    async toReview(auth: CitizenAuth, meta: Meta, id: string) {
      const x = await load(auth, id);
      if (missingPapers(x.kase, x.draft.components).length)
        throw new AppError('SUBMISSION_COMPONENT_REQUIRED');
      return change(auth, meta, id, 'draft_reviewed', async () => ({ step: 'review' }));
    },

    /** The form's typed values (for the review page), or the errors. */
    async checked(x: Awaited<ReturnType<typeof load>>) {
      if (!x.form) return { ok: true as const, values: {} as FormValues };
      return validateForm(x.form, x.draft.values, { units: await units(), today: dayOf(now()) });
    },

    /**
     * Submits the draft, once: in one transaction the dossiers service creates the dossier
     * (channel 2, submitted, owned by the citizen) and the draft is marked submitted. A second
     * submission of the same draft answers the same dossier.
     */
    async submit(auth: CitizenAuth, meta: Meta, id: string): Promise<{ code: string; created: boolean }> {
      const x = await load(auth, id);
      const profile = await deps.citizens.profile(auth);
      if (!profile.idNo) throw new AppError('SUBMISSION_ID_NO_REQUIRED');
      let formValues: FormValues | null = null;
      if (x.draft.step !== 'submitted') {
        if (x.form) {
          const r = validateForm(x.form, x.draft.values, { units: await units(), today: dayOf(now()) });
          if (!r.ok) throw new AppError('SUBMISSION_FORM_INVALID', { fields: Object.keys(r.errors) });
          formValues = r.values;
        }
        if (missingPapers(x.kase, x.draft.components).length)
          throw new AppError('SUBMISSION_COMPONENT_REQUIRED');
      }
      return db.transaction().execute(async (trx) => {
        const r = submissionsRepo(trx);
        const d = ownDraft(await r.lockDraft(id), auth.citizenId);
        const components = Object.entries(d.components).map(([specId, c]) =>
          c.kind === 'file'
            ? { specId, name: specName(x.kase, specId), blob: c.sha256 }
            : { specId, name: specName(x.kase, specId), storeItemId: c.storeItemId },
        );
        const out = await deps.dossiers.submitOnline(
          trx,
          { auth: null, ip: meta.ip, citizenId: auth.citizenId },
          {
            procedureId: d.procedure_id,
            caseId: d.case_id,
            agencyId: d.agency_id,
            applicant: {
              name: profile.fullName,
              idNo: profile.idNo as string,
              phone: typeof formValues?.phone === 'string' ? formValues.phone : (profile.phone ?? undefined),
              email: typeof formValues?.email === 'string' ? formValues.email : (profile.email ?? undefined),
            },
            summary: x.procedure.name,
            formValues,
            components,
            idempotencyKey: `online-draft:${d.id}`,
          },
          now(),
        );
        if (d.step !== 'submitted') {
          await r.updateDraft(d.id, { step: 'submitted', dossier_id: out.id });
          await audit(trx, meta, auth.citizenId, 'submitted', d.id, { dossierCode: out.code });
        }
        return { code: out.code, created: out.created };
      });
    },

    /** The code of the dossier a submitted draft became, or null while it is a draft. */
    submittedCode: (auth: CitizenAuth, d: Draft) =>
      d.dossier_id ? deps.dossiers.citizenDossierCode(auth.citizenId, d.dossier_id) : Promise.resolve(null),

    /** The citizen's own online dossier (the "submitted" page and the receipt). */
    submitted: (auth: CitizenAuth, code: string) => deps.dossiers.ownOnlineDossier(auth.citizenId, code),
  };
}

function specName(kase: ProcedureDetail['cases'][number], specId: string) {
  return kase.components.find((c) => c.id === specId)?.name ?? 'Giấy tờ';
}

export type SubmissionsService = ReturnType<typeof submissionsService>;
