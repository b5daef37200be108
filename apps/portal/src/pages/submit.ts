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
import { DURATION_UNIT_VI, FEE_WHEN_VI, viDateTime, viMoney, viNumber } from '../format.ts';
import { type Html, html } from '../html.ts';
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

function errorSummary(errors: Errors, labels: Record<string, string> = {}): Html | '' {
  const list = Object.entries(errors).filter(([, m]) => m);
  if (!list.length) return '';
  return html`<div class="alert" role="alert"><h2>Vui lòng kiểm tra lại</h2><ul>${list.map(([k, m]) =>
    k === '_form'
      ? html`<li>${m}</li>`
      : html`<li><a href="#${fieldId(k)}">${labels[k] ? `${labels[k]}: ` : ''}${m}</a></li>`,
  )}</ul></div>`;
}

function channelFacts(ch: Channel | null): Html {
  if (!ch) return html``;
  return html`<dl class="facts">
<div><dt>Thời hạn giải quyết</dt><dd>${viNumber(ch.durationValue, 1)} ${DURATION_UNIT_VI[ch.durationUnit] ?? ch.durationUnit}</dd></div>
<div><dt>Phí, lệ phí</dt><dd>${
    ch.fees.length
      ? html`<ul>${ch.fees.map((f) => html`<li>${f.name}: ${viMoney(f.amount)}${FEE_WHEN_VI[f.when] ? ` (${FEE_WHEN_VI[f.when]})` : ''}</li>`)}</ul>`
      : 'Không'
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
  const body = html`<nav aria-label="Vị trí trang" class="crumbs"><a href="${paths.procedure(p.code)}">${p.code}</a> › <span>Nộp trực tuyến</span></nav>
<h1>Nộp trực tuyến: ${p.name}</h1>
${
  d.needsIdNo
    ? html`<div class="alert" role="alert"><p>Hồ sơ trực tuyến cần số CCCD của người nộp. Vui lòng <a href="${paths.account}">khai báo số CCCD trong trang tài khoản</a> rồi quay lại.</p></div>`
    : ''
}
${d.cases.length === 0 ? html`<p>Thủ tục này hiện không nhận hồ sơ trực tuyến.</p>` : ''}
${errorSummary(e)}
${
  d.cases.length && !d.needsIdNo
    ? html`<form class="form" method="post" action="${paths.submit(p.code)}" novalidate>
${csrfInput(d.csrf)}
<fieldset${e.caseId ? html` aria-describedby="${fieldId('caseId')}-loi"` : ''}>
<legend>Trường hợp của bạn</legend>
${d.cases.map(
  (
    c,
    i,
  ) => html`<div class="choice"><input type="radio" name="caseId" id="${i === 0 ? fieldId('caseId') : `${fieldId('caseId')}-${i}`}" value="${c.id}"${c.id === caseId ? html` checked` : ''}>
<label for="${i === 0 ? fieldId('caseId') : `${fieldId('caseId')}-${i}`}">${c.name}</label></div>`,
)}
${e.caseId ? html`<p class="error" id="${fieldId('caseId')}-loi">${e.caseId}</p>` : ''}
</fieldset>
<div class="field">
<label for="${fieldId('agencyId')}">Nơi nộp hồ sơ</label>
<select id="${fieldId('agencyId')}" name="agencyId"${e.agencyId ? html` aria-invalid="true" aria-describedby="${fieldId('agencyId')}-loi"` : ''}>
<option value="">— Chọn nơi nộp —</option>
${p.agencies.map((a) => html`<option value="${a.id}"${a.id === agencyId ? html` selected` : ''}>${a.name}</option>`)}
</select>
${e.agencyId ? html`<p class="error" id="${fieldId('agencyId')}-loi">${e.agencyId}</p>` : ''}
</div>
<button type="submit">Bắt đầu khai hồ sơ</button>
</form>`
    : ''
}
<p><a href="${paths.procedure(p.code)}">Quay lại thông tin thủ tục</a></p>`;
  return page(shell, `Nộp trực tuyến: ${p.name}`, body);
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

const STEPS = ['Tờ khai', 'Giấy tờ', 'Xem lại và nộp'];
function steps(current: number): Html {
  return html`<ol class="steps" aria-label="Các bước nộp hồ sơ">${STEPS.map(
    (s, i) => html`<li${i === current ? html` aria-current="step"` : ''}>${i + 1}. ${s}</li>`,
  )}</ol>`;
}

function header(d: DraftHeader, current: number): Html {
  return html`<h1>${d.procedureName}</h1>
<p>${d.caseName}${d.agencyName ? html` — nộp tại ${d.agencyName}` : ''}</p>
${steps(current)}`;
}

function showIfHint(f: FormField, level: FormField[] | LeafField[]): Html | '' {
  if (!f.showIf) return '';
  const ctl = (level as FormField[]).find((x) => x.key === f.showIf?.field);
  const opt =
    ctl && ctl.type === 'select'
      ? ctl.options.find((o) => o.value === f.showIf?.equals)?.label_vi
      : f.showIf.equals;
  return ctl ? html`Chỉ điền khi “${ctl.label_vi}” là “${opt ?? f.showIf.equals}”.` : '';
}

function control(f: LeafField, name: string, d: FormPageInput, extraHint: Html | ''): Html {
  const id = fieldId(name);
  const error = d.errors?.[name];
  const hint = [
    f.hint_vi,
    extraHint ? extraHint.value : '',
    f.type === 'date' ? 'Nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const described = [hint ? `${id}-goi-y` : '', error ? `${id}-loi` : ''].filter(Boolean).join(' ');
  const aria = html`${error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}`;
  const value = d.values[name] ?? '';
  const label = html`<label for="${id}">${f.label_vi}${f.required ? html` <span class="req">(bắt buộc)</span>` : ''}</label>`;
  const after = html`${hint ? html`<p class="hint" id="${id}-goi-y">${hintHtml(f.hint_vi, extraHint, f.type === 'date')}</p>` : ''}
${error ? html`<p class="error" id="${id}-loi">${error}</p>` : ''}`;
  switch (f.type) {
    case 'textarea':
      return html`<div class="field">${label}<textarea id="${id}" name="${name}" rows="4"${f.maxLength ? html` maxlength="${f.maxLength}"` : ''}${aria}>${value}</textarea>${after}</div>`;
    case 'select':
      return html`<div class="field">${label}<select id="${id}" name="${name}"${aria}>
<option value="">— Chọn —</option>
${f.options.map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label_vi}</option>`)}
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
      return html`<fieldset class="group"><legend>${f.label_vi}${f.required ? html` <span class="req">(bắt buộc)</span>` : ''}</legend>
${f.hint_vi ? html`<p class="hint">${f.hint_vi}</p>` : ''}
${sub('province', 'Tỉnh, thành phố', (pid, a) => html`<select id="${pid}" name="${name}.province"${a}><option value="">— Chọn tỉnh, thành phố —</option>${provinces.map((u) => html`<option value="${u.code}"${u.code === pv ? html` selected` : ''}>${u.name}</option>`)}</select>`)}
${sub(
  'commune',
  'Xã, phường',
  (pid, a) =>
    html`<select id="${pid}" name="${name}.commune"${a}><option value="">— Chọn xã, phường —</option>${provinces.map(
      (p) =>
        html`<optgroup label="${p.name}">${d.units
          .filter((u) => u.level === 'commune' && u.parentCode === p.code)
          .map(
            (u) => html`<option value="${u.code}"${u.code === cv ? html` selected` : ''}>${u.name}</option>`,
          )}</optgroup>`,
    )}</select>`,
)}
${sub('detail', 'Số nhà, đường, thôn, xóm (nếu có)', (pid, a) => html`<input id="${pid}" name="${name}.detail" type="text" maxlength="300" value="${d.values[`${name}.detail`] ?? ''}"${a}>`)}
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

function hintHtml(own: string | undefined, extra: Html | '', date: boolean): Html {
  return html`${own ?? ''}${own && extra ? ' ' : ''}${extra}${date ? html`${own || extra ? ' ' : ''}Nhập theo dạng ngày/tháng/năm, ví dụ 05/09/2026.` : ''}`;
}

function fieldHtml(f: FormField, d: FormPageInput, all: FormField[]): Html {
  if (f.type !== 'group') return control(f, f.key, d, showIfHint(f, all));
  const n = groupRowCount(d.values, f);
  const rows = Array.from({ length: n }, (_, i) => i);
  const groupError = d.errors?.[f.key];
  return html`<fieldset class="group" id="${fieldId(f.key)}"${groupError ? html` aria-describedby="${fieldId(f.key)}-loi"` : ''}><legend>${f.label_vi}</legend>
${f.hint_vi ? html`<p class="hint">${f.hint_vi}</p>` : ''}
${groupError ? html`<p class="error" id="${fieldId(f.key)}-loi">${groupError}</p>` : ''}
<input type="hidden" name="${f.key}.__rows" value="${n}">
${rows.map(
  (i) => html`<fieldset class="row"><legend>Dòng ${i + 1}</legend>
${f.fields.map((c) => control(c, rowName(f.key, i, c.key), d, showIfHint(c, f.fields)))}
</fieldset>`,
)}
${n < f.max ? html`<button type="submit" class="secondary" name="_action" value="add:${f.key}">Thêm dòng: ${f.label_vi}</button>` : ''}
</fieldset>`;
}

export function draftFormPage(d: FormPageInput, shell: Shell): string {
  const labels: Record<string, string> = {};
  for (const f of d.form?.fields ?? []) labels[f.key] = f.label_vi;
  const body = html`${header(d, 0)}
${d.saved ? html`<div class="notice" role="status"><p>Đã lưu nháp.</p></div>` : ''}
${errorSummary(d.errors ?? {}, labels)}
<form class="form" method="post" action="${paths.draft(d.draftId)}" novalidate>
${csrfInput(d.csrf)}
${d.form ? html`<h2>${d.form.title_vi ?? 'Tờ khai'}</h2>${d.form.fields.map((f) => fieldHtml(f, d, d.form?.fields ?? []))}` : html`<p>Thủ tục này không có tờ khai trực tuyến. Bấm “Tiếp tục” để nộp giấy tờ.</p>`}
<div class="actions">
<button type="submit" name="_action" value="next">Tiếp tục</button>
<button type="submit" class="secondary" name="_action" value="save">Lưu nháp</button>
</div>
</form>`;
  return page(shell, `Tờ khai: ${d.procedureName}`, body);
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
  const body = html`${header(d, 1)}
${errorSummary(e)}
<p>Tải lên bản chụp hoặc bản điện tử của từng giấy tờ: PDF, JPG hoặc PNG, tối đa ${d.maxMb} MB mỗi tệp. Ảnh lớn được thu nhỏ tự động.</p>
${d.papers.map((p) => {
  const fid = fieldId(`file-${p.specId}`);
  const sid = fieldId(`store-${p.specId}`);
  const err = e[`file-${p.specId}`];
  return html`<section class="paper" aria-labelledby="${fieldId(`h-${p.specId}`)}">
<h2 id="${fieldId(`h-${p.specId}`)}">${p.name}${p.required ? html` <span class="req">(bắt buộc)</span>` : ''}</h2>
${
  p.given
    ? html`<p>Đã nộp: <strong>${p.given.name}</strong>${p.given.kind === 'store' ? ' (từ kho dữ liệu)' : ''}</p>
<form method="post" action="${paths.draftPaper(d.draftId, p.specId)}/xoa">${csrfInput(d.csrf)}<button type="submit" class="secondary">Bỏ giấy tờ này</button></form>`
    : ''
}
<form class="form" method="post" action="${paths.draftPaper(d.draftId, p.specId)}" enctype="multipart/form-data">
${csrfInput(d.csrf)}
<div class="field"><label for="${fid}">${p.given ? 'Thay bằng tệp khác' : 'Chọn tệp'}</label>
<input id="${fid}" name="file" type="file" accept="application/pdf,image/jpeg,image/png"${err ? html` aria-invalid="true" aria-describedby="${fid}-loi"` : ''}>
${err ? html`<p class="error" id="${fid}-loi">${err}</p>` : ''}</div>
<button type="submit">Tải lên</button>
</form>
${
  d.store?.length
    ? html`<form class="form" method="post" action="${paths.draftPaper(d.draftId, p.specId)}/kho">
${csrfInput(d.csrf)}
<div class="field"><label for="${sid}">Hoặc dùng giấy tờ trong kho dữ liệu</label>
<select id="${sid}" name="storeItemId"><option value="">— Chọn giấy tờ —</option>${d.store.map((s) => html`<option value="${s.id}">${s.name}</option>`)}</select></div>
<button type="submit" class="secondary">Dùng giấy tờ này</button>
</form>`
    : ''
}
</section>`;
})}
<form class="form" method="post" action="${paths.draftPapers(d.draftId)}">
${csrfInput(d.csrf)}
<div class="actions"><button type="submit">Tiếp tục</button> <a href="${paths.draft(d.draftId)}">Quay lại tờ khai</a></div>
</form>`;
  return page(shell, `Giấy tờ: ${d.procedureName}`, body);
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
  const rows = (d.form?.fields ?? []).flatMap((f) => {
    const v = d.values[f.key];
    if (v === undefined) return [];
    if (f.type === 'group' && Array.isArray(v))
      return v.flatMap((row, i) =>
        f.fields
          .filter((c) => row[c.key] !== undefined)
          .map(
            (c) =>
              html`<div><dt>${f.label_vi} — dòng ${i + 1}: ${c.label_vi}</dt><dd>${show(c, row[c.key])}</dd></div>`,
          ),
      );
    if (f.type === 'group' || Array.isArray(v)) return [];
    return [html`<div><dt>${f.label_vi}</dt><dd>${show(f, v)}</dd></div>`];
  });
  const body = html`${header(d, 2)}
${errorSummary(d.errors ?? {})}
<h2>Người nộp</h2>
<dl class="facts"><div><dt>Họ và tên</dt><dd>${d.applicant.fullName}</dd></div><div><dt>Số CCCD</dt><dd>${d.applicant.idNo ?? 'Chưa khai báo'}</dd></div></dl>
${d.form ? html`<h2>Tờ khai</h2><dl class="facts">${rows}</dl><p><a href="${paths.draft(d.draftId)}">Sửa tờ khai</a></p>` : ''}
<h2>Giấy tờ</h2>
<ul>${d.papers.filter((p) => p.given).map((p) => html`<li>${p.name}: ${p.given?.name}${p.given?.kind === 'store' ? ' (từ kho dữ liệu)' : ''}</li>`)}</ul>
<p><a href="${paths.draftPapers(d.draftId)}">Sửa giấy tờ</a></p>
<h2>Thời hạn và phí</h2>
${channelFacts(d.channel)}
<form class="form" method="post" action="${paths.draftSubmit(d.draftId)}">
${csrfInput(d.csrf)}
<p>Tôi cam đoan những thông tin khai trên là đúng sự thật.</p>
<button type="submit">Nộp hồ sơ</button>
</form>`;
  return page(shell, `Xem lại: ${d.procedureName}`, body);
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
  const body = html`<h1>Đã nộp hồ sơ</h1>
<div class="notice" role="status"><p>Hồ sơ <strong>${d.code}</strong> (${d.procedureName}) đã được gửi lúc ${viDateTime(d.submittedAt)}.</p></div>
<h2>Tiếp theo</h2>
<ol>
<li>Bộ phận một cửa kiểm tra hồ sơ. Nếu đầy đủ, hồ sơ được tiếp nhận và thời hạn giải quyết bắt đầu tính từ lúc tiếp nhận.</li>
<li>Nếu cần bổ sung hoặc không đủ điều kiện, bạn được thông báo rõ lý do.</li>
<li>Bạn theo dõi tình trạng hồ sơ bằng mã hồ sơ và liên kết tra cứu dưới đây.</li>
</ol>
<p><a href="${d.lookupHref}">Tra cứu tình trạng hồ sơ ${d.code}</a></p>
<p><a href="${d.receiptHref}">Tải giấy xác nhận đã nộp hồ sơ (PDF)</a></p>`;
  return page(shell, `Đã nộp hồ sơ ${d.code}`, body);
}
