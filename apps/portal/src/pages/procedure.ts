import type { ProcedureDetail } from '@congvu/contracts';
import { html } from '../html.ts';
import {
  type Dictionary,
  dataLang,
  fill,
  formatDate,
  formatMoney,
  formatNumber,
  type Lang,
  maybe,
  t,
  viSpan,
} from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

type Case = ProcedureDetail['cases'][number];

function copies(c: Case['components'][number], s: Dictionary) {
  const parts = [
    c.originals ? fill(s['proc.originals'], { n: c.originals }) : '',
    c.certified ? fill(s['proc.certified'], { n: c.certified }) : '',
    c.copies ? fill(s['proc.copies'], { n: c.copies }) : '',
  ].filter(Boolean);
  return parts.join(', ') || '—';
}

function caseSection(c: Case, many: boolean, lang: Lang | undefined) {
  const s = t(lang);
  const vi = dataLang(lang);
  const id = `truong-hop-${c.ordinal}`;
  return html`<section class="case" aria-labelledby="${id}">
<h2 id="${id}">${many ? fill(s['proc.case'], { n: c.ordinal, name: c.name }) : s['proc.howTo']}</h2>
<h3>${s['proc.timeFees']}</h3>
<div class="scroll"><table>
<caption>${s['proc.timeFeesCaption']}</caption>
<thead><tr><th scope="col">${s['proc.channel']}</th><th scope="col">${s['proc.duration']}</th><th scope="col">${s['proc.fees']}</th></tr></thead>
<tbody>
${c.channels.map(
  (ch) => html`<tr>
<th scope="row">${maybe(s, `channel.${ch.channel}`) ?? fill(s['channel.other'], { n: ch.channel })}</th>
<td>${formatNumber(ch.durationValue, lang, 1)} ${maybe(s, `unit.${ch.durationUnit}`) ?? ch.durationUnit}${ch.description ? html`<br><span class="note"${vi}>${ch.description}</span>` : ''}</td>
<td>${
    ch.fees.length
      ? html`<ul class="plain">${ch.fees.map(
          (f) =>
            html`<li>${viSpan(lang, f.name)}: ${f.when === 'exempt' || f.when === 'none' ? s[`feeWhen.${f.when}`] : html`${formatMoney(f.amount, lang)} (${maybe(s, `feeWhen.${f.when}`) ?? f.when})`}${f.description ? html` — ${viSpan(lang, f.description)}` : ''}</li>`,
        )}</ul>`
      : s['proc.noFees']
  }</td>
</tr>`,
)}
</tbody>
</table></div>
${
  c.steps.length
    ? html`<h3>${s['proc.steps']}</h3>
<ol class="steps"${vi}>${c.steps.map((s) => html`<li>${s}</li>`)}</ol>`
    : ''
}
<h3>${s['proc.components']}</h3>
${
  c.components.length
    ? html`<div class="scroll"><table>
<caption>${s['proc.componentsCaption']}</caption>
<thead><tr><th scope="col">${s['proc.paper']}</th><th scope="col">${s['proc.quantity']}</th><th scope="col">${s['proc.form']}</th></tr></thead>
<tbody>
${c.components.map(
  (k) => html`<tr>
<td>${viSpan(lang, k.name)}${k.required ? '' : html` <span class="note">${s['proc.ifAny']}</span>`}${k.alternativeGroup ? html` <span class="note">${fill(s['proc.altGroup'], { g: k.alternativeGroup })}</span>` : ''}</td>
<td>${copies(k, s)}</td>
<td>${
    k.formBlob || k.formUrl
      ? html`<a href="${k.formBlob ? paths.form(k.formBlob) : (k.formUrl as string)}" download>${s['proc.download']}${k.formName ? html` ${viSpan(lang, k.formName)}` : ''}</a>`
      : k.formName
        ? html`${viSpan(lang, k.formName)} <span class="note">${s['proc.formAtCounter']}</span>`
        : '—'
  }</td>
</tr>`,
)}
</tbody>
</table></div>`
    : html`<p>${s['proc.noComponents']}</p>`
}
</section>`;
}

export function procedurePage(p: ProcedureDetail, shell: Shell): string {
  const s = t(shell.lang);
  const vi = dataLang(shell.lang);
  const online = p.cases.some((c) => c.channels.some((ch) => ch.channel === 2));
  const where = p.agencies.length ? p.agencies.map((a) => a.name) : p.implementing.map((i) => i.name);
  const body = html`
<nav aria-label="${s['proc.crumbs']}" class="crumbs"><a href="${paths.catalogue}">${s['nav.catalogue']}</a> › <span>${p.code}</span></nav>
<h1${vi}>${p.name}</h1>
<dl class="facts">
<div><dt>${s['proc.code']}</dt><dd>${p.code}</dd></div>
${p.sectorName ? html`<div><dt>${s['proc.sector']}</dt><dd${vi}>${p.sectorName}</dd></div>` : ''}
<div><dt>${s['proc.level']}</dt><dd>${maybe(s, `level.${p.authorityLevel}`) ?? p.authorityLevel}</dd></div>
<div><dt>${s['proc.online']}</dt><dd>${maybe(s, `online.${p.onlineLevel}`) ?? p.onlineLevel}</dd></div>
${p.applicants.length ? html`<div><dt>${s['proc.applicants']}</dt><dd${vi}>${p.applicants.join(', ')}</dd></div>` : ''}
<div><dt>${s['proc.validFrom']}</dt><dd>${formatDate(p.validFrom)}</dd></div>
</dl>
${
  online
    ? html`<p class="action"><a class="button" href="${paths.submit(p.code)}">${s['proc.submitOnline']}</a></p>`
    : html`<p class="note">${s['proc.offline']}</p>`
}
<section aria-labelledby="noi-nop">
<h2 id="noi-nop">${s['proc.where']}</h2>
${where.length ? html`<ul${vi}>${where.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p>${s['proc.whereDefault']}</p>`}
</section>
${p.applicantDescription ? html`<p${vi}>${p.applicantDescription}</p>` : ''}
${p.cases.map((c) => caseSection(c, p.cases.length > 1, shell.lang))}
${p.conditions ? html`<section aria-labelledby="dieu-kien"><h2 id="dieu-kien">${s['proc.conditions']}</h2><p class="pre"${vi}>${p.conditions}</p></section>` : ''}
${
  p.results.length
    ? html`<section aria-labelledby="ket-qua"><h2 id="ket-qua">${s['proc.results']}</h2><ul${vi}>${p.results.map((r) => html`<li>${r.name}</li>`)}</ul></section>`
    : ''
}
${
  p.legalBasis.length
    ? html`<section aria-labelledby="can-cu"><h2 id="can-cu">${s['proc.legal']}</h2><ul${vi}>${p.legalBasis.map(
        (l) => html`<li>${l.number ? html`<strong>${l.number}</strong> ` : ''}${l.title}</li>`,
      )}</ul></section>`
    : ''
}
${p.announcingAgency ? html`<p class="note">${s['proc.announcer']} ${viSpan(shell.lang, p.announcingAgency)}</p>` : ''}`;
  return layout({
    ...shell,
    title: p.name,
    description: fill(s['proc.description'], { name: p.name }),
    section: 'catalogue',
    body,
  });
}
