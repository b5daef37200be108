/**
 * Online submission pages (issue 7): choose the case → the form (rendered from its definition,
 * packages/forms) → papers → review → submitted. No script: every action is a form POST; a
 * repeatable group grows with a "Thêm dòng" submit button.
 */
import type { ProcedureDetail } from '@congvu/contracts';
import {
  type AdminUnit,
  type FormDefinition,
  type FormField,
  type FormValues,
  groupRowCount,
  type LeafField,
  type LeafValue,
  rowName,
} from '@congvu/forms';
import { type Html, html } from '../html.ts';
import {
  type Dictionary,
  dataLang,
  fill,
  formatDateTime,
  formatMoney,
  formatNumber,
  type Lang,
  maybe,
  t,
  viSpan,
} from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { CSRF_FIELD } from './account.ts';

type Case = ProcedureDetail['cases'][number];
type Channel = Case['channels'][number];
type Errors = Record<string, string | undefined>;

/** A field name as an id (ids and fragments stay plain). */
export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9]/g, '-')}`;

const csrfInput = (csrf: string) => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;

function page(shell: Shell, title: string, body: Html): string {
  return layout({ ...shell, title, section: 'catalogue', noindex: true, body });
}

function errorSummary(s: Dictionary, errors: Errors, labels: Record<string, string> = {}): Html | '' {
  const list = Object.entries(errors).filter(([, m]) => m);
  if (!list.length) return '';
  return html`<div class="alert" role="alert"><h2>${s['sub.check']}</h2><ul>${list.map(([k, m]) =>
    k === '_form'
      ? html`<li>${m}</li>`
      : html`<li><a href="#${fieldId(k)}">${labels[k] ? `${labels[k]}: ` : ''}${m}</a></li>`,
  )}</ul></div>`;
}

function channelFacts(ch: Channel | null, lang: Lang | undefined): Html {
  if (!ch) return html``;
  const s = t(lang);
  return html`<dl class="facts">
<div><dt>${s['proc.duration']}</dt><dd>${formatNumber(ch.durationValue, lang, 1)} ${maybe(s, `unit.${ch.durationUnit}`) ?? ch.durationUnit}</dd></div>
<div><dt>${s['proc.fees']}</dt><dd>${
    ch.fees.length
      ? html`<ul>${ch.fees.map((f) => {
          const when = maybe(s, `feeWhen.${f.when}`);
          return html`<li>${viSpan(lang, f.name)}: ${formatMoney(f.amount, lang)}${when ? ` (${when})` : ''}</li>`;
        })}</ul>`
      : s['sub.none']
  }</dd></div>
</dl>`;
}

// --- Start: choose the case and the receiving agency

export interface StartInput {
  csrf: string;
  procedure: ProcedureDetail;
  cases: Case[];
  /** The profile has no CCCD yet: the dossier needs one. */
  needsIdNo: boolean;
  values?: { caseId?: string | undefined; agencyId?: string | undefined };
  errors?: Errors;
}

export function submitStartPage(d: StartInput, shell: Shell): string {
  const p = d.procedure;
  const e = d.errors ?? {};
  const caseId = d.values?.caseId ?? (d.cases.length === 1 ? d.cases[0]?.id : undefined);
  const agencyId = d.values?.agencyId ?? (p.agencies.length === 1 ? p.agencies[0]?.id : undefined);
  const lang = shell.lang;
  const s = t(lang);
  const vi = dataLang(lang);
  const body = html`<nav aria-label="${s['proc.crumbs']}" class="crumbs"><a href="${paths.procedure(p.code)}">${p.code}</a> › <span>${s['proc.submitOnline']}</span></nav>
<h1>${s['proc.submitOnline']}: ${viSpan(lang, p.name)}</h1>
${
  d.needsIdNo
    ? html`<div class="alert" role="alert"><p>${s['sub.needsIdNoBefore']}<a href="${paths.account}">${s['sub.needsIdNoLink']}</a>${s['sub.needsIdNoAfter']}</p></div>`
    : ''
}
${d.cases.length === 0 ? html`<p>${s['sub.noOnline']}</p>` : ''}
${errorSummary(s, e)}
${
  d.cases.length && !d.needsIdNo
    ? html`<form class="form" method="post" action="${paths.submit(p.code)}" novalidate>
${csrfInput(d.csrf)}
<fieldset${e.caseId ? html` aria-describedby="${fieldId('caseId')}-loi"` : ''}>
<legend>${s['sub.case']}</legend>
${d.cases.map(
  (
    c,
    i,
  ) => html`<div class="choice"><input type="radio" name="caseId" id="${i === 0 ? fieldId('caseId') : `${fieldId('caseId')}-${i}`}" value="${c.id}"${c.id === caseId ? html` checked` : ''}>
<label for="${i === 0 ? fieldId('caseId') : `${fieldId('caseId')}-${i}`}"${vi}>${c.name}</label></div>`,
)}
${e.caseId ? html`<p class="error" id="${fieldId('caseId')}-loi">${e.caseId}</p>` : ''}
</fieldset>
<div class="field">
<label for="${fieldId('agencyId')}">${s['sub.agency']}</label>
<select id="${fieldId('agencyId')}" name="agencyId"${e.agencyId ? html` aria-invalid="true" aria-describedby="${fieldId('agencyId')}-loi"` : ''}>
<option value="">${s['sub.chooseAgency']}</option>
${p.agencies.map((a) => html`<option value="${a.id}"${a.id === agencyId ? html` selected` : ''}${vi}>${a.name}</option>`)}
</select>
${e.agencyId ? html`<p class="error" id="${fieldId('agencyId')}-loi">${e.agencyId}</p>` : ''}
</div>
<button type="submit">${s['sub.start']}</button>
</form>`
    : ''
}
<p><a href="${paths.procedure(p.code)}">${s['submit.back']}</a></p>`;
  return page(shell, fill(s['submit.title'], { name: p.name }), body);
}

// --- The form

export interface DraftHeader {
  draftId: string;
  procedureName: string;
  caseName: string;
  agencyName: string | null;
}

export interface FormPageInput extends DraftHeader {
  csrf: string;
  form: FormDefinition | null;
  values: Record<string, string>;
  errors?: Errors;
  units: AdminUnit[];
  saved?: boolean;
}

const STEPS = ['sub.step.form', 'sub.step.papers', 'sub.step.review'] as const;
function steps(s: Dictionary, current: number): Html {
  return html`<ol class="steps" aria-label="${s['sub.steps']}">${STEPS.map((k) => s[k]).map(
    (s, i) => html`<li${i === current ? html` aria-current="step"` : ''}>${i + 1}. ${s}</li>`,
  )}</ol>`;
}

function header(d: DraftHeader, current: number, lang: Lang | undefined): Html {
  const s = t(lang);
  return html`<h1${dataLang(lang)}>${d.procedureName}</h1>
<p>${viSpan(lang, d.caseName)}${d.agencyName ? html` — ${s['sub.submitAt']} ${viSpan(lang, d.agencyName)}` : ''}</p>
${steps(s, current)}`;
}

function showIfHint(s: Dictionary, f: FormField, level: FormField[] | LeafField[]): Html | '' {
  if (!f.showIf) return '';
  const ctl = (level as FormField[]).find((x) => x.key === f.showIf?.field);
  const opt =
    ctl && ctl.type === 'select'
      ? ctl.options.find((o) => o.value === f.showIf?.equals)?.label_vi
      : f.showIf.equals;
  return ctl ? html`${fill(s['sub.showIf'], { label: ctl.label_vi, value: opt ?? f.showIf.equals })}` : '';
}

function control(
  f: LeafField,
  name: string,
  d: FormPageInput,
  extraHint: Html | '',
  lang: Lang | undefined,
): Html {
  const s = t(lang);
  const vi = dataLang(lang);
  const id = fieldId(name);
  const error = d.errors?.[name];
  const hint = [f.hint_vi, extraHint ? extraHint.value : '', f.type === 'date' ? s['sub.dateHint'] : '']
    .filter(Boolean)
    .join(' ');
  const described = [hint ? `${id}-goi-y` : '', error ? `${id}-loi` : ''].filter(Boolean).join(' ');
  const aria = html`${error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  const value = d.values[name] ?? '';
  const label = html`<label for="${id}">${viSpan(lang, f.label_vi)}${f.required ? html` <span class="req">${s['sub.required']}</span>` : ''}</label>`;
  const after = html`${hint ? html`<p class="hint" id="${id}-goi-y">${hintHtml(s, f.hint_vi, extraHint, f.type === 'date', lang)}</p>` : ''}
${error ? html`<p class="error" id="${id}-loi">${error}</p>` : ''}`;
  switch (f.type) {
    case 'textarea':
      return html`<div class="field">${label}<textarea id="${id}" name="${name}" rows="4"${f.maxLength ? html` maxlength="${f.maxLength}"` : ''}${aria}>${value}</textarea>${after}</div>`;
    case 'select':
      return html`<div class="field">${label}<select id="${id}" name="${name}"${aria}>
<option value="">${s['sub.choose']}</option>
${f.options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}${vi}>${o.label_vi}</option>`)}
</select>${after}</div>`;
    case 'address': {
      const provinces = d.units.filter((u) => u.level === 'province');
      const pv = d.values[`${name}.province`] ?? '';
      const cv = d.values[`${name}.commune`] ?? '';
      const sub = (part: string, l: string, input: (pid: string, a: Html) => Html) => {
        const pn = `${name}.${part}`;
        const pid = fieldId(pn);
        const err = d.errors?.[pn];
        const a = html`${err ? html` aria-invalid="true" aria-describedby="${pid}-loi"` : ''}`;
        return html`<div class="field"><label for="${pid}">${l}</label>${input(pid, a)}${err ? html`<p class="error" id="${pid}-loi">${err}</p>` : ''}</div>`;
      };
      return html`<fieldset class="group"><legend>${viSpan(lang, f.label_vi)}${f.required ? html` <span class="req">${s['sub.required']}</span>` : ''}</legend>
${f.hint_vi ? html`<p class="hint"${vi}>${f.hint_vi}</p>` : ''}
${sub('province', s['sub.province'], (pid, a) => html`<select id="${pid}" name="${name}.province"${a}><option value="">${s['sub.chooseProvince']}</option>${provinces.map((u) => html`<option value="${u.code}"${u.code === pv ? html` selected` : ''}>${u.name}</option>`)}</select>`)}
${sub(
  'commune',
  s['sub.commune'],
  (pid, a) =>
    html`<select id="${pid}" name="${name}.commune"${a}><option value="">${s['sub.chooseCommune']}</option>${provinces.map(
      (p) =>
        html`<optgroup label="${p.name}">${d.units
          .filter((u) => u.level === 'commune' && u.parentCode === p.code)
          .map(
            (u) => html`<option value="${u.code}"${u.code === cv ? html` selected` : ''}>${u.name}</option>`,
          )}</optgroup>`,
    )}</select>`,
)}
${sub('detail', s['sub.detail'], (pid, a) => html`<input id="${pid}" name="${name}.detail" type="text" maxlength="300" value="${d.values[`${name}.detail`] ?? ''}"${a}>`)}
</fieldset>`;
    }
    default: {
      const type = f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : 'text';
      const mode =
        f.type === 'cccd' ? 'numeric' : f.type === 'number' ? 'decimal' : f.type === 'phone' ? 'tel' : '';
      const max =
        f.type === 'cccd' ? 12 : f.type === 'phone' ? 15 : f.type === 'text' ? (f.maxLength ?? 300) : 0;
      const auto = f.type === 'email' ? 'email' : f.type === 'phone' ? 'tel' : '';
      return html`<div class="field">${label}<input id="${id}" name="${name}" type="${type}" value="${value}"${mode ? html` inputmode="${mode}"` : ''}${max ? html` maxlength="${max}"` : ''}${auto ? html` autocomplete="${auto}"` : ''}${aria}>${after}</div>`;
    }
  }
}

function hintHtml(
  s: Dictionary,
  own: string | undefined,
  extra: Html | '',
  date: boolean,
  lang: Lang | undefined,
): Html {
  return html`${own ? viSpan(lang, own) : ''}${own && extra ? ' ' : ''}${extra}${date ? html`${own || extra ? ' ' : ''}${s['sub.dateHint']}` : ''}`;
}

function fieldHtml(f: FormField, d: FormPageInput, all: FormField[], lang: Lang | undefined): Html {
  const s = t(lang);
  const vi = dataLang(lang);
  if (f.type !== 'group') return control(f, f.key, d, showIfHint(s, f, all), lang);
  const n = groupRowCount(d.values, f);
  const rows = Array.from({ length: n }, (_, i) => i);
  const groupError = d.errors?.[f.key];
  return html`<fieldset class="group" id="${fieldId(f.key)}"${groupError ? html` aria-describedby="${fieldId(f.key)}-loi"` : ''}><legend${vi}>${f.label_vi}</legend>
${f.hint_vi ? html`<p class="hint"${vi}>${f.hint_vi}</p>` : ''}
${groupError ? html`<p class="error" id="${fieldId(f.key)}-loi">${groupError}</p>` : ''}
<input type="hidden" name="${f.key}.__rows" value="${n}">
${rows.map(
  (i) => html`<fieldset class="row"><legend>${fill(s['sub.row'], { n: i + 1 })}</legend>
${f.fields.map((c) => control(c, rowName(f.key, i, c.key), d, showIfHint(s, c, f.fields), lang))}
</fieldset>`,
)}
${n < f.max ? html`<button type="submit" class="secondary" name="_action" value="add:${f.key}">${fill(s['sub.addRow'], { label: f.label_vi })}</button>` : ''}
</fieldset>`;
}

export function draftFormPage(d: FormPageInput, shell: Shell): string {
  const labels: Record<string, string> = {};
  for (const f of d.form?.fields ?? []) labels[f.key] = f.label_vi;
  const lang = shell.lang;
  const s = t(lang);
  const body = html`${header(d, 0, lang)}
${d.saved ? html`<div class="notice" role="status"><p>${s['sub.saved']}</p></div>` : ''}
${errorSummary(s, d.errors ?? {}, labels)}
<form class="form" method="post" action="${paths.draft(d.draftId)}" novalidate>
${csrfInput(d.csrf)}
${d.form ? html`${d.form.title_vi ? html`<h2${dataLang(lang)}>${d.form.title_vi}</h2>` : html`<h2>${s['sub.form']}</h2>`}${d.form.fields.map((f) => fieldHtml(f, d, d.form?.fields ?? [], lang))}` : html`<p>${s['sub.noForm']}</p>`}
<div class="actions">
<button type="submit" name="_action" value="next">${s['sub.next']}</button>
<button type="submit" class="secondary" name="_action" value="save">${s['sub.save']}</button>
</div>
</form>`;
  return page(shell, fill(s['sub.formTitle'], { name: d.procedureName }), body);
}

// --- Papers

export interface PaperRow {
  specId: string;
  name: string;
  required: boolean;
  formName: string | null;
  given: { kind: 'file' | 'store'; name: string } | null;
}

export interface PapersInput extends DraftHeader {
  csrf: string;
  papers: PaperRow[];
  /** The citizen's data store items; null when the profile has no CCCD. */
  store: { id: string; name: string }[] | null;
  maxMb: number;
  errors?: Errors;
}

export function papersPage(d: PapersInput, shell: Shell): string {
  const e = d.errors ?? {};
  const lang = shell.lang;
  const s = t(lang);
  const vi = dataLang(lang);
  const body = html`${header(d, 1, lang)}
${errorSummary(s, e)}
<p>${fill(s['sub.papersIntro'], { n: d.maxMb })}</p>
${d.papers.map((p) => {
  const fid = fieldId(`file-${p.specId}`);
  const sid = fieldId(`store-${p.specId}`);
  const err = e[`file-${p.specId}`];
  return html`<section class="paper" aria-labelledby="${fieldId(`h-${p.specId}`)}">
<h2 id="${fieldId(`h-${p.specId}`)}">${viSpan(lang, p.name)}${p.required ? html` <span class="req">${s['sub.required']}</span>` : ''}</h2>
${
  p.given
    ? html`<p>${s['sub.given']} <strong>${p.given.name}</strong>${p.given.kind === 'store' ? s['sub.fromStore'] : ''}</p>
<form method="post" action="${paths.draftPaper(d.draftId, p.specId)}/xoa">${csrfInput(d.csrf)}<button type="submit" class="secondary">${s['sub.removePaper']}</button></form>`
    : ''
}
<form class="form" method="post" action="${paths.draftPaper(d.draftId, p.specId)}" enctype="multipart/form-data">
${csrfInput(d.csrf)}
<div class="field"><label for="${fid}">${p.given ? s['sub.replaceFile'] : s['sub.chooseFile']}</label>
<input id="${fid}" name="file" type="file" accept="application/pdf,image/jpeg,image/png"${err ? html` aria-invalid="true" aria-describedby="${fid}-loi"` : ''}>
${err ? html`<p class="error" id="${fid}-loi">${err}</p>` : ''}</div>
<button type="submit">${s['sub.upload']}</button>
</form>
${
  d.store?.length
    ? html`<form class="form" method="post" action="${paths.draftPaper(d.draftId, p.specId)}/kho">
${csrfInput(d.csrf)}
<div class="field"><label for="${sid}">${s['sub.orStore']}</label>
<select id="${sid}" name="storeItemId"><option value="">${s['sub.choosePaper']}</option>${d.store.map((x) => html`<option value="${x.id}"${vi}>${x.name}</option>`)}</select></div>
<button type="submit" class="secondary">${s['sub.useStore']}</button>
</form>`
    : ''
}
</section>`;
})}
<form class="form" method="post" action="${paths.draftPapers(d.draftId)}">
${csrfInput(d.csrf)}
<div class="actions"><button type="submit">${s['sub.next']}</button> <a href="${paths.draft(d.draftId)}">${s['sub.backToForm']}</a></div>
</form>`;
  return page(shell, fill(s['sub.papersTitle'], { name: d.procedureName }), body);
}

// --- Review

export interface ReviewInput extends DraftHeader {
  csrf: string;
  form: FormDefinition | null;
  values: FormValues;
  papers: PaperRow[];
  channel: Channel | null;
  applicant: { fullName: string; idNo: string | null };
  errors?: Errors;
}

function show(f: LeafField, v: LeafValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'object') return [v.detail, v.communeName, v.provinceName].filter(Boolean).join(', ');
  if (f.type === 'select') return f.options.find((o) => o.value === v)?.label_vi ?? String(v);
  if (f.type === 'date' && typeof v === 'string') {
    const [y, m, dd] = v.split('-');
    return `${dd}/${m}/${y}`;
  }
  return String(v);
}

export function reviewPage(d: ReviewInput, shell: Shell): string {
  const lang = shell.lang;
  const s = t(lang);
  const vi = dataLang(lang);
  const rows = (d.form?.fields ?? []).flatMap((f) => {
    const v = d.values[f.key];
    if (v === undefined) return [];
    if (f.type === 'group' && Array.isArray(v))
      return v.flatMap((row, i) =>
        f.fields
          .filter((c) => row[c.key] !== undefined)
          .map(
            (c) =>
              html`<div><dt>${fill(s['sub.rowOf'], { group: f.label_vi, n: i + 1, label: c.label_vi })}</dt><dd${vi}>${show(c, row[c.key])}</dd></div>`,
          ),
      );
    if (f.type === 'group' || Array.isArray(v)) return [];
    return [html`<div><dt${vi}>${f.label_vi}</dt><dd${vi}>${show(f, v)}</dd></div>`];
  });
  const body = html`${header(d, 2, lang)}
${errorSummary(s, d.errors ?? {})}
<h2>${s['sub.applicant']}</h2>
<dl class="facts"><div><dt>${s['account.fullName']}</dt><dd>${d.applicant.fullName}</dd></div><div><dt>${s['account.idNo']}</dt><dd>${d.applicant.idNo ?? s['sub.notGiven']}</dd></div></dl>
${d.form ? html`<h2>${s['sub.form']}</h2><dl class="facts">${rows}</dl><p><a href="${paths.draft(d.draftId)}">${s['sub.editForm']}</a></p>` : ''}
<h2>${s['sub.papers']}</h2>
<ul>${d.papers.filter((p) => p.given).map((p) => html`<li>${viSpan(lang, p.name)}: ${p.given?.name}${p.given?.kind === 'store' ? s['sub.fromStore'] : ''}</li>`)}</ul>
<p><a href="${paths.draftPapers(d.draftId)}">${s['sub.editPapers']}</a></p>
<h2>${s['sub.timeFees']}</h2>
${channelFacts(d.channel, lang)}
<form class="form" method="post" action="${paths.draftSubmit(d.draftId)}">
${csrfInput(d.csrf)}
<p>${s['sub.pledge']}</p>
<button type="submit">${s['sub.submit']}</button>
</form>`;
  return page(shell, fill(s['sub.reviewTitle'], { name: d.procedureName }), body);
}

// --- Submitted

export interface SubmittedInput {
  code: string;
  procedureName: string;
  submittedAt: string;
  lookupHref: string;
  receiptHref: string;
}

export function submittedPage(d: SubmittedInput, shell: Shell): string {
  const lang = shell.lang;
  const s = t(lang);
  const body = html`<h1>${s['sub.done']}</h1>
<div class="notice" role="status"><p>${s['sub.sentBefore']} <strong>${d.code}</strong> (${viSpan(lang, d.procedureName)}) ${fill(s['sub.sentAfter'], { at: formatDateTime(d.submittedAt) })}</p></div>
<h2>${s['sub.nextH2']}</h2>
<ol>
<li>${s['sub.next1']}</li>
<li>${s['sub.next2']}</li>
<li>${s['sub.next3']}</li>
</ol>
<p><a href="${d.lookupHref}">${fill(s['sub.lookup'], { code: d.code })}</a></p>
<p><a href="${d.receiptHref}">${s['sub.receipt']}</a></p>`;
  return page(shell, fill(s['sub.doneTitle'], { code: d.code }), body);
}
