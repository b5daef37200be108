import type { PublicDossierStatus } from '@congvu/contracts';
import { html } from '../html.ts';
import { dataLang, fill, formatDate, formatDateTime, type Lang, type MessageKey, maybe, t } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** What the citizen should do next, per TrangThaiHoSo (1–10), in plain Vietnamese. */
export const NEXT_STEP_VI: Record<number, string> = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [i + 1, t('vi')[`next.${i + 1}` as MessageKey]]),
);

export interface LookupInput {
  /** What was typed (kept in the form). */
  code?: string | undefined;
  secret?: string | undefined;
  /** The status found; null when the code and secret were given but do not match a dossier. */
  result?: PublicDossierStatus | null;
}

function form(d: LookupInput, lang: Lang | undefined) {
  const s = t(lang);
  return html`<form class="search" method="get" action="${paths.lookup}">
<div class="field">
<label for="ma">${s['lookup.code']}</label>
<input id="ma" name="ma" value="${d.code ?? ''}" required maxlength="64" autocomplete="off" aria-describedby="ma-goi-y">
<p class="hint" id="ma-goi-y">${s['lookup.codeHint']}</p>
</div>
<div class="field">
<label for="k">${s['lookup.secret']}</label>
<input id="k" name="k" value="${d.secret ?? ''}" required minlength="6" maxlength="64" autocomplete="off" aria-describedby="k-goi-y">
<p class="hint" id="k-goi-y">${s['lookup.secretHint']}</p>
</div>
<button type="submit">${s['lookup.submit']}</button>
</form>`;
}

function status(r: PublicDossierStatus, lang: Lang | undefined) {
  const s = t(lang);
  const label = (x: { label: string; labelEn: string }) => (lang === 'en' ? x.labelEn : x.label);
  return html`<section class="status" aria-labelledby="ket-qua-tra-cuu">
<h2 id="ket-qua-tra-cuu">${fill(s['lookup.dossier'], { code: r.code })}</h2>
<p class="label"><strong>${fill(s['lookup.status'], { label: label(r) })}</strong></p>
<p class="next"><strong>${s['lookup.next']}</strong> ${maybe(s, `next.${r.portalStatus}`) ?? s['next.other']}</p>
<dl class="facts">
<div><dt>${s['lookup.procedure']}</dt><dd${dataLang(lang)}>${r.procedureName}</dd></div>
${r.receivedAt ? html`<div><dt>${s['lookup.received']}</dt><dd>${formatDate(r.receivedAt)}</dd></div>` : ''}
${r.dueAt ? html`<div><dt>${s['lookup.due']}</dt><dd>${formatDateTime(r.dueAt)}</dd></div>` : ''}
${r.finishedAt ? html`<div><dt>${s['lookup.finished']}</dt><dd>${formatDate(r.finishedAt)}</dd></div>` : ''}
${r.deliveredAt ? html`<div><dt>${s['lookup.delivered']}</dt><dd>${formatDate(r.deliveredAt)}</dd></div>` : ''}
</dl>
<h3>${s['lookup.history']}</h3>
<ol class="timeline">
${r.history.map((h) => html`<li><time datetime="${h.at}">${formatDateTime(h.at)}</time> — ${label(h)}</li>`)}
</ol>
</section>`;
}

/** The lookup form, and below it the status found or the one "not found" message. */
export function lookupPage(d: LookupInput, shell: Shell): string {
  const s = t(shell.lang);
  const asked = d.result !== undefined;
  const body = html`
<h1>${s['lookup.h1']}</h1>
<p>${s['lookup.intro']}</p>
${form(d, shell.lang)}
${
  asked
    ? d.result
      ? status(d.result, shell.lang)
      : html`<div class="alert" role="alert"><h2>${s['lookup.notFound']}</h2><p>${s['lookup.notFoundText']}</p></div>`
    : ''
}`;
  return layout({
    ...shell,
    title: d.result ? fill(s['lookup.dossier'], { code: d.result.code }) : s['lookup.h1'],
    description: s['lookup.description'],
    section: 'lookup',
    noindex: asked,
    body,
  });
}
