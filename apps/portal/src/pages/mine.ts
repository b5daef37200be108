/**
 * "Hồ sơ của tôi": the signed-in citizen's dossiers after submission (issue 7): the list, one
 * dossier (status, steps, due date, fees, papers, results, what to do now) with its forms
 * (supplement answered online, payment, rating), the withdrawal confirmation and the payment
 * result page. Pure renders, no script; every form posts with the CSRF token.
 */
import type { DossierView } from '@congvu/contracts';
import { type Html, html } from '../html.ts';
import {
  dataLang,
  fill,
  formatDate,
  formatDateTime,
  formatMoney,
  type Lang,
  maybe,
  t,
  viSpan,
} from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { CSRF_FIELD, type FormState } from './account.ts';

export interface MineItem {
  code: string;
  procedureName: string;
  label: string;
  labelEn: string;
  submittedAt: string;
  dueAt: string | null;
  mustAct: boolean;
}

export interface MineDossier {
  view: DossierView;
  owed: { ordinal: number; name: string; amount: number }[];
  rated: { level: number; satisfied: number; ratedAt: string } | null;
  canWithdraw: boolean;
  canRate: boolean;
  canChoosePost: boolean;
}

/** A result file's signature check, as the signing module reports it. */
export interface ResultCheck {
  valid: boolean;
  trusted: boolean;
  signatures: { signer: string; signingTime: string | null }[];
}

/** The 5 levels of the overall answer, best first (value 5 … 1), in a language. */
export function ratingLevels(lang: Lang | undefined): Array<[number, string]> {
  const s = t(lang);
  return ([5, 4, 3, 2, 1] as const).map((v) => [v, s[`rate.level.${v}`]]);
}

/** The 9 QĐ 766 satisfaction criteria (9 × 2 points), as asked of the citizen, in a language. */
export function ratingCriteria(lang: Lang | undefined): string[] {
  const s = t(lang);
  return ([1, 2, 3, 4, 5, 6, 7, 8, 9] as const).map((i) => s[`rate.c${i}`]);
}

/** The 5 levels in Vietnamese (value 5 … 1). */
export const RATING_LEVELS_VI: Array<[number, string]> = ratingLevels('vi');

/** The 9 criteria in Vietnamese. */
export const RATING_CRITERIA_VI = ratingCriteria('vi');

function page(shell: Shell, title: string, body: Html): string {
  return layout({ ...shell, title, section: 'mine', noindex: true, body });
}

const csrfInput = (f: { csrf: string }) => html`<input type="hidden" name="${CSRF_FIELD}" value="${f.csrf}">`;

function formError(f: FormState): Html | '' {
  const e = f.errors?._form;
  return e ? html`<div class="alert" role="alert"><p>${e}</p></div>` : '';
}

/** The list of the citizen's dossiers, newest first. */
export function minePage(d: { items: MineItem[] }, shell: Shell): string {
  const lang = shell.lang;
  const s = t(lang);
  const body =
    d.items.length === 0
      ? html`<p>${s['mine.empty']} <a href="${paths.catalogue}">${s['mine.find']}</a>.</p>`
      : html`<ul class="results">
${d.items.map(
  (i) => html`<li>
<h2><a href="${paths.mineDossier(i.code)}">${i.code}</a>${i.mustAct ? html` <strong class="badge">${s['mine.mustAct']}</strong>` : ''}</h2>
<p${dataLang(lang)}>${i.procedureName}</p>
<p class="meta">${s['mine.statusIs']} ${lang === 'en' ? i.labelEn : i.label} · ${fill(s['mine.submittedOn'], { date: formatDate(i.submittedAt) })}${i.dueAt ? html` · ${fill(s['mine.dueOn'], { date: formatDate(i.dueAt) })}` : ''}</p>
</li>`,
)}
</ul>`;
  return page(shell, s['nav.mine'], html`<h1>${s['nav.mine']}</h1>${body}`);
}

function fees(d: MineDossier, f: FormState, payable: boolean, lang: Lang | undefined) {
  const s = t(lang);
  const lines = d.view.fees.filter((x) => x.amount > 0);
  if (lines.length === 0) return html`<p>${s['mine.noFees']}</p>`;
  const owedTotal = d.owed.reduce((s, x) => s + x.amount, 0);
  return html`<div class="scroll"><table>
<caption>${s['proc.fees']}</caption>
<thead><tr><th scope="col">${s['mine.feeItem']}</th><th scope="col">${s['mine.amount']}</th><th scope="col">${s['mine.feeStatus']}</th></tr></thead>
<tbody>
${lines.map(
  (x) =>
    html`<tr><td${dataLang(lang)}>${x.name}</td><td>${formatMoney(x.amount, lang)}</td><td>${
      x.paidAt
        ? html`${fill(s['mine.paidOn'], { date: formatDate(x.paidAt) })}${x.paidOnline ? s['mine.paidOnline'] : ''}`
        : x.whenPaid === 'exempt'
          ? s['mine.exempt']
          : s['mine.unpaid']
    }</td></tr>`,
)}
</tbody>
</table></div>
${
  owedTotal > 0 && payable
    ? html`<form class="action" method="post" action="${paths.minePay(d.view.code)}">
${csrfInput(f)}
<p>${s['mine.owed']} <strong>${formatMoney(owedTotal, lang)}</strong>.</p>
<button type="submit">${s['mine.pay']}</button>
</form>`
    : ''
}`;
}

function supplementForm(
  d: MineDossier,
  f: FormState & { key: string; store: StoreChoice[] | null },
  lang: Lang | undefined,
) {
  const s = t(lang);
  const vi = dataLang(lang);
  const pause = [...d.view.pauses].reverse().find((p) => p.kind === 'supplement' && !p.resumedAt);
  const items = Array.isArray(pause?.items) ? (pause.items as unknown[]).map(String) : [];
  const err = f.errors?.files;
  return html`<section aria-labelledby="bo-sung">
<h2 id="bo-sung">${s['mine.supH2']}</h2>
${pause ? html`<p><strong>${s['mine.reason']}</strong> ${viSpan(lang, pause.reason)}</p>` : ''}
${items.length ? html`<p>${s['mine.supItems']}</p><ul class="plain"${vi}>${items.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
${formError(f)}
<form class="form" method="post" action="${paths.mineSupplement(d.view.code)}" enctype="multipart/form-data" novalidate>
${csrfInput(f)}
<input type="hidden" name="key" value="${f.key}">
<div class="field">
<label for="files">${s['mine.supFiles']}</label>
<input id="files" name="files" type="file" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="files-goi-y${err ? ' files-loi' : ''}"${err ? html` aria-invalid="true"` : ''}>
<p class="hint" id="files-goi-y">${fill(s['mine.supHint'], { n: f.values?.maxMb ?? '20' })}</p>
${err ? html`<p class="error" id="files-loi">${err}</p>` : ''}
</div>
${
  f.store?.length
    ? html`<fieldset>
<legend>${s['mine.supStore']}</legend>
${f.store.map(
  (x) =>
    html`<div><input type="checkbox" id="kho-${x.id}" name="kho" value="${x.id}"> <label for="kho-${x.id}"${vi}>${x.name}</label></div>`,
)}
</fieldset>`
    : ''
}
<button type="submit">${s['mine.supSend']}</button>
</form>
</section>`;
}

export interface StoreChoice {
  id: string;
  name: string;
}

function results(d: MineDossier, checks: Record<string, ResultCheck>, lang: Lang | undefined) {
  if (d.view.results.length === 0) return '';
  const s = t(lang);
  return html`<h2>${s['mine.results']}</h2>
<ul class="results">
${d.view.results.map((r) => {
  const c = checks[r.id];
  const sig = c?.signatures[0];
  return html`<li>
<h3${dataLang(lang)}>${r.blob ? html`<a href="${paths.mineResult(d.view.code, r.id)}">${r.name}</a>` : r.name}</h3>
${
  c
    ? c.valid && c.trusted && sig
      ? html`<p class="notice">${fill(s['mine.signedBy'], { signer: sig.signer })}${sig.signingTime ? fill(s['mine.signedAt'], { at: formatDateTime(sig.signingTime) }) : ''}.</p>`
      : html`<p class="alert">${s['mine.badSig']}</p>`
    : html`<p class="meta">${r.blob ? s['mine.electronic'] : s['mine.paperCopy']}</p>`
}
</li>`;
})}
</ul>`;
}

function postForm(d: MineDossier, f: FormState, lang: Lang | undefined) {
  const s = t(lang);
  const v = d.view;
  const chosen = v.deliveryMethod === 'post' && v.deliveryNote;
  if (!d.canChoosePost)
    return chosen ? html`<h2>${s['mine.postH2']}</h2><p${dataLang(lang)}>${v.deliveryNote}</p>` : '';
  const err = f.errors ?? {};
  const input = (name: string, label: string, type: string, auto: string, max: number) =>
    html`<div class="field">
<label for="${name}">${label}</label>
<input id="${name}" name="${name}" type="${type}" value="${f.values?.[name] ?? ''}" required maxlength="${max}" autocomplete="${auto}"${
      err[name] ? html` aria-invalid="true" aria-describedby="${name}-loi"` : ''
    }>
${err[name] ? html`<p class="error" id="${name}-loi">${err[name]}</p>` : ''}
</div>`;
  return html`<section aria-labelledby="buu-chinh">
<h2 id="buu-chinh">${s['mine.postH2']}</h2>
${chosen ? html`<p>${s['mine.postChosen']} ${viSpan(lang, v.deliveryNote ?? '')}</p>` : html`<p>${s['mine.postIntro']}</p>`}
<form class="form" method="post" action="${paths.minePost(v.code)}" novalidate>
${csrfInput(f)}
${input('address', s['mine.postAddress'], 'text', 'street-address', 500)}
${input('phone', s['mine.postPhone'], 'tel', 'tel', 20)}
<button type="submit">${s['mine.postSubmit']}</button>
</form>
</section>`;
}

function ratingForm(d: MineDossier, f: FormState, lang: Lang | undefined) {
  const s = t(lang);
  if (d.rated)
    return html`<h2>${s['rate.h2']}</h2><p>${fill(s['rate.done'], {
      date: formatDate(d.rated.ratedAt),
      level: maybe(s, `rate.level.${d.rated.level}`) ?? '',
    })}</p>`;
  if (!d.canRate) return '';
  const err = f.errors ?? {};
  return html`<section aria-labelledby="danh-gia">
<h2 id="danh-gia">${s['rate.h2']}</h2>
${formError(f)}
<form class="form" method="post" action="${paths.mineRate(d.view.code)}" novalidate>
${csrfInput(f)}
<fieldset${err.level ? html` aria-describedby="level-loi"` : ''}>
<legend>${s['rate.legend']}</legend>
${ratingLevels(lang).map(
  ([v, label]) =>
    html`<div><input type="radio" id="level-${v}" name="level" value="${v}"${f.values?.level === String(v) ? html` checked` : ''}${
      err.level ? html` aria-invalid="true"` : ''
    }> <label for="level-${v}">${label}</label></div>`,
)}
${err.level ? html`<p class="error" id="level-loi">${err.level}</p>` : ''}
</fieldset>
${ratingCriteria(lang).map((q, i) => {
  const name = `c${i + 1}`;
  const e = err[name];
  return html`<fieldset${e ? html` aria-describedby="${name}-loi"` : ''}>
<legend>${i + 1}. ${q}</legend>
<div><input type="radio" id="${name}-1" name="${name}" value="1"${f.values?.[name] === '1' ? html` checked` : ''}${
    e ? html` aria-invalid="true"` : ''
  }> <label for="${name}-1">${s['rate.yes']}</label></div>
<div><input type="radio" id="${name}-0" name="${name}" value="0"${f.values?.[name] === '0' ? html` checked` : ''}${
    e ? html` aria-invalid="true"` : ''
  }> <label for="${name}-0">${s['rate.no']}</label></div>
${e ? html`<p class="error" id="${name}-loi">${e}</p>` : ''}
</fieldset>`;
})}
<div class="field">
<label for="comment">${s['rate.comment']}</label>
<textarea id="comment" name="comment" maxlength="2000" rows="4">${f.values?.comment ?? ''}</textarea>
</div>
<button type="submit">${s['rate.send']}</button>
</form>
</section>`;
}

/** One dossier of the citizen: status, what to do now, steps, fees, papers, results, forms. */
export function mineDossierPage(
  d: MineDossier & {
    csrf: string;
    key: string;
    store: StoreChoice[] | null;
    checks: Record<string, ResultCheck>;
    notice?: string | undefined;
    payable: boolean;
    supplement?: FormState | undefined;
    rating?: FormState | undefined;
    /** The postal delivery form: values prefilled from the profile, or typed, and errors. */
    post?: Omit<FormState, 'csrf'> | undefined;
    maxUploadMb: number;
  },
  shell: Shell,
): string {
  const v = d.view;
  const lang = shell.lang;
  const s = t(lang);
  const vi = dataLang(lang);
  const body = html`<p><a href="${paths.mine}">← ${s['nav.mine']}</a></p>
<h1>${fill(s['lookup.dossier'], { code: v.code })}</h1>
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
<section class="status" aria-labelledby="tinh-trang">
<h2 id="tinh-trang">${s['mine.statusIs']} ${lang === 'en' ? v.status.labelEn : v.status.label}</h2>
<p><strong>${s['lookup.next']}</strong> ${maybe(s, `todo.${v.state}`) ?? s['next.other']}</p>
<dl class="facts">
<div><dt>${s['lookup.procedure']}</dt><dd${vi}>${v.procedureName}</dd></div>
<div><dt>${s['mine.agency']}</dt><dd${vi}>${v.agencyName}</dd></div>
<div><dt>${s['mine.submitted']}</dt><dd>${formatDate(v.submittedAt)}</dd></div>
${v.dueAt ? html`<div><dt>${s['lookup.due']}</dt><dd>${formatDate(v.dueAt)}</dd></div>` : ''}
${v.finishedAt ? html`<div><dt>${s['lookup.finished']}</dt><dd>${formatDate(v.finishedAt)}</dd></div>` : ''}
${v.closedReason ? html`<div><dt>${s['mine.closedReason']}</dt><dd${vi}>${v.closedReason}</dd></div>` : ''}
</dl>
</section>
${v.state === 'supplement' ? supplementForm(d, { ...(d.supplement ?? { csrf: d.csrf }), csrf: d.csrf, key: d.key, store: d.store, values: { maxMb: String(d.maxUploadMb) } }, lang) : ''}
<h2>${s['lookup.history']}</h2>
<ol class="timeline">
${v.events.map(
  (e) =>
    html`<li><time datetime="${e.at}">${formatDateTime(e.at)}</time> — ${maybe(s, `event.${e.kind}`) ?? e.kind}${e.note ? html`: ${viSpan(lang, e.note)}` : ''}</li>`,
)}
</ol>
<h2>${s['proc.fees']}</h2>
${fees(d, { csrf: d.csrf }, d.payable, lang)}
<h2>${s['mine.papers']}</h2>
${
  v.components.length
    ? html`<ul class="plain">${v.components.map((c) => html`<li>${viSpan(lang, c.name)}${c.blob ? s['mine.electronicSuffix'] : ''}</li>`)}</ul>`
    : html`<p>${s['mine.noPapers']}</p>`
}
${results(d, d.checks, lang)}
${postForm(d, { ...(d.post ?? {}), csrf: d.csrf }, lang)}
${ratingForm(d, { ...(d.rating ?? {}), csrf: d.csrf }, lang)}
${d.canWithdraw ? html`<p class="action"><a class="button" href="${paths.mineWithdraw(v.code)}">${s['mine.withdraw']}</a></p>` : ''}`;
  return page(shell, fill(s['lookup.dossier'], { code: v.code }), body);
}

/** The withdrawal confirmation: the reason, then a POST. */
export function withdrawPage(d: FormState & { code: string }, shell: Shell): string {
  const err = d.errors?.reason;
  const s = t(shell.lang);
  const title = fill(s['wd.title'], { code: d.code });
  return page(
    shell,
    title,
    html`<h1>${title}</h1>
<p>${s['wd.intro']}</p>
${formError(d)}
<form class="form" method="post" action="${paths.mineWithdraw(d.code)}" novalidate>
${csrfInput(d)}
<div class="field">
<label for="reason">${s['wd.reason']}</label>
<textarea id="reason" name="reason" required maxlength="1000" rows="3"${err ? html` aria-invalid="true" aria-describedby="reason-loi"` : ''}>${d.values?.reason ?? ''}</textarea>
${err ? html`<p class="error" id="reason-loi">${err}</p>` : ''}
</div>
<button type="submit">${s['wd.confirm']}</button>
</form>
<p><a href="${paths.mineDossier(d.code)}">${s['wd.back']}</a></p>`,
  );
}

export interface PaymentResultInput {
  /** null: the signature of the gateway's answer did not verify. */
  result: {
    txnRef: string;
    dossierCode: string;
    amount: number;
    status: 'pending' | 'paid' | 'failed' | 'expired';
    gatewaySuccess: boolean;
    simulator: boolean;
  } | null;
  /** The receipt's address for this browser (the owner signed in), if paid. */
  receiptHref?: string | undefined;
  dossierHref?: string | undefined;
}

/** Back from the payment gateway: paid, failed or still pending, in plain Vietnamese. */
export function paymentResultPage(d: PaymentResultInput, shell: Shell): string {
  const r = d.result;
  const lang = shell.lang;
  const s = t(lang);
  let body: Html;
  if (!r)
    body = html`<div class="alert" role="alert"><h2>${s['pay.badH2']}</h2><p>${s['pay.badText']}</p></div>`;
  else {
    const what =
      r.status === 'paid'
        ? html`<div class="notice" role="status"><h2>${s['pay.okH2']}</h2><p>${fill(s['pay.okText'], { amount: formatMoney(r.amount, lang), code: r.dossierCode })}</p></div>`
        : r.status === 'failed' || r.status === 'expired' || !r.gatewaySuccess
          ? html`<div class="alert" role="alert"><h2>${s['pay.failH2']}</h2><p>${fill(s['pay.failText'], { code: r.dossierCode })}</p></div>`
          : html`<div class="status" role="status"><h2>${s['pay.pendingH2']}</h2><p>${fill(s['pay.pendingText'], { code: r.dossierCode })}</p></div>`;
    body = html`${what}
<dl class="facts">
<div><dt>${s['pay.txn']}</dt><dd>${r.txnRef}</dd></div>
<div><dt>${s['mine.amount']}</dt><dd>${formatMoney(r.amount, lang)}</dd></div>
</dl>
${r.simulator ? html`<p class="note">${s['pay.simulator']}</p>` : ''}
${r.status === 'paid' && d.receiptHref ? html`<p><a href="${d.receiptHref}">${s['pay.receipt']}</a></p>` : ''}
${d.dossierHref ? html`<p><a href="${d.dossierHref}">${fill(s['pay.back'], { code: r.dossierCode })}</a></p>` : ''}`;
  }
  return page(shell, s['pay.title'], html`<h1>${s['pay.title']}</h1>${body}`);
}
