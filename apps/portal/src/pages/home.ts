import type { ProcedureSector } from '@congvu/contracts';
import { html } from '../html.ts';
import { dataLang, fill, t } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { searchForm } from './catalogue.ts';

export interface HomeInput {
  sectors: ProcedureSector[];
  procedureCount: number;
}

/** Home: search first, then the ways in (sectors, lookup, statistics). */
export function homePage(d: HomeInput, shell: Shell): string {
  const s = t(shell.lang);
  const body = html`
<section class="hero">
<h1>${s['home.h1']}</h1>
<p>${s['home.intro']}</p>
${searchForm({}, [], [], { compact: true, lang: shell.lang })}
</section>
<section aria-labelledby="loi-tat">
<h2 id="loi-tat">${s['home.waysIn']}</h2>
<ul class="cards">
<li><a href="${paths.catalogue}">${fill(s['home.toCatalogue'], { n: d.procedureCount })}</a></li>
<li><a href="${paths.lookup}">${s['home.toLookup']}</a></li>
<li><a href="${paths.stats}">${s['home.toStats']}</a></li>
</ul>
</section>
${
  d.sectors.length
    ? html`<section aria-labelledby="linh-vuc">
<h2 id="linh-vuc">${s['home.bySector']}</h2>
<ul class="sectors"${dataLang(shell.lang)}>
${d.sectors.map((x) => html`<li><a href="${`${paths.catalogue}?linhVuc=${encodeURIComponent(x.code)}`}">${x.name}</a></li>`)}
</ul>
</section>`
    : ''
}`;
  return layout({
    ...shell,
    title: s['home.title'],
    description: s['home.description'],
    section: 'home',
    body,
  });
}
