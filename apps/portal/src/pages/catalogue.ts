import type { ProcedureSector, ProcedureSummary } from '@congvu/contracts';
import { html, query } from '../html.ts';
import { dataLang, fill, type Lang, maybe, t, viSpan } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** The catalogue's filters as they appear in the address (Vietnamese parameter names). */
export interface CatalogueFilters {
  q?: string | undefined;
  linhVuc?: string | undefined;
  coQuan?: string | undefined;
  capDo?: 'central' | 'province' | 'commune' | '' | undefined;
  trang?: number | undefined;
}

export interface AgencyOption {
  code: string;
  name: string;
}

export interface CatalogueInput {
  filters: CatalogueFilters;
  sectors: ProcedureSector[];
  agencies: AgencyOption[];
  items: ProcedureSummary[];
  total: number;
  pageSize: number;
}

const LEVELS = ['central', 'province', 'commune'] as const;

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;

/** The search form (GET, works without JavaScript); `compact` shows only the words box. */
export function searchForm(
  f: CatalogueFilters,
  sectors: ProcedureSector[],
  agencies: AgencyOption[],
  opts: { compact?: boolean; lang?: Lang | undefined } = {},
) {
  const s = t(opts.lang);
  return html`<form class="search" method="get" action="${paths.catalogue}" role="search">
<div class="field">
<label for="q">${s['search.q']}</label>
<input id="q" name="q" type="search" value="${f.q ?? ''}" maxlength="200" placeholder="${s['search.placeholder']}">
</div>
${
  opts.compact
    ? ''
    : html`<div class="field">
<label for="linhVuc">${s['search.sector']}</label>
<select id="linhVuc" name="linhVuc">
<option value="">${s['search.allSectors']}</option>
${sectors.map((s) => option(s.code, s.name, f.linhVuc))}
</select>
</div>
<div class="field">
<label for="coQuan">${s['search.agency']}</label>
<select id="coQuan" name="coQuan">
<option value="">${s['search.allAgencies']}</option>
${agencies.map((a) => option(a.code, a.name, f.coQuan))}
</select>
</div>
<div class="field">
<label for="capDo">${s['search.level']}</label>
<select id="capDo" name="capDo">
<option value="">${s['search.allLevels']}</option>
${LEVELS.map((v) => option(v, s[`level.${v}`], f.capDo))}
</select>
</div>`
}
<button type="submit">${s['search.submit']}</button>
</form>`;
}

export function cataloguePage(d: CatalogueInput, shell: Shell): string {
  const s = t(shell.lang);
  const page = d.filters.trang ?? 1;
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const link = (p: number) =>
    `${paths.catalogue}${query({ q: d.filters.q, linhVuc: d.filters.linhVuc, coQuan: d.filters.coQuan, capDo: d.filters.capDo, trang: p > 1 ? p : undefined })}`;
  const body = html`
<h1>${s['catalogue.h1']}</h1>
${searchForm(d.filters, d.sectors, d.agencies, { lang: shell.lang })}
<p class="count" role="status">${d.filters.q ? fill(s['catalogue.countFor'], { n: d.total, q: d.filters.q }) : fill(s['catalogue.count'], { n: d.total })}.</p>
${
  d.items.length
    ? html`<ol class="results">
${d.items.map(
  (p) => html`<li>
<h2${dataLang(shell.lang)}><a href="${paths.procedure(p.code)}">${p.name}</a></h2>
<p class="meta">${fill(s['catalogue.code'], { code: p.code })}${p.sectorName ? html` · ${viSpan(shell.lang, p.sectorName)}` : ''} · ${maybe(s, `level.${p.authorityLevel}`) ?? p.authorityLevel}</p>
<p class="meta">${maybe(s, `online.${p.onlineLevel}`) ?? ''}</p>
</li>`,
)}
</ol>`
    : html`<p>${s['catalogue.empty']}</p>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="${s['catalogue.pager']}">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">${s['catalogue.prev']}</a>` : ''}
<span>${fill(s['catalogue.pageOf'], { page, pages })}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">${s['catalogue.next']}</a>` : ''}
</nav>`
    : ''
}`;
  return layout({
    ...shell,
    title: d.filters.q ? fill(s['catalogue.title.search'], { q: d.filters.q }) : s['catalogue.h1'],
    description: s['catalogue.description'],
    section: 'catalogue',
    body,
  });
}
