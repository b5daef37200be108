import { html } from '../html.ts';
import { dataLang, fill, formatNumber, formatPercent, type Lang, t } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** One agency's (or the province's) QĐ 766 figures for a year, as the statistics page shows them. */
export interface IndexView {
  code: string | null;
  name: string;
  received: number;
  finished: number;
  /** Finished on time / finished (0–1), null without finished dossiers. */
  onTimeRate: number | null;
  /** Points scored and the maximum of the sub-indicators that could be computed. */
  total: number;
  totalMax: number;
  /** QĐ 766 sub-indicators; `labelEn` from the rules' English label. */
  figures: Array<{
    label: string;
    labelEn: string;
    ratio: number | null;
    points: number | null;
    maxPoints: number;
  }>;
}

export interface StatsInput {
  year: number;
  years: number[];
  province: IndexView;
  agencies: IndexView[];
}

const score = (v: IndexView) => (v.totalMax > 0 ? v.total / v.totalMax : null);

/**
 * A horizontal bar chart as inline SVG (no script, no inline style: presentation attributes only,
 * which the Content-Security-Policy allows). Values 0–1; a text alternative describes every bar.
 */
export function barChart(
  title: string,
  rows: Array<{ label: string; value: number | null }>,
  id: string,
  lang: Lang = 'vi',
) {
  const pct = (r: number | null) => formatPercent(r, lang);
  const rowH = 28;
  const labelW = 0; // labels sit above each bar: readable at 360 px
  const h = rows.length * rowH * 2 + 8;
  const desc = rows.map((r) => `${r.label}: ${pct(r.value)}`).join('; ');
  return html`<figure class="chart">
<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 320 ${h}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">${title}</title>
<desc id="${id}-d">${desc}</desc>
${rows.map((r, i) => {
  const y = i * rowH * 2 + 4;
  const w = Math.round(Math.max(0, Math.min(1, r.value ?? 0)) * (240 - labelW));
  return html`<text x="0" y="${y + 14}" font-size="13" fill="#1f2937">${r.label}</text>
<rect x="0" y="${y + 20}" width="240" height="18" fill="#e5e7eb"/>
<rect x="0" y="${y + 20}" width="${w}" height="18" fill="#0b4f9c"/>
<text x="246" y="${y + 34}" font-size="13" fill="#1f2937">${pct(r.value)}</text>`;
})}
</svg>
<figcaption>${title}</figcaption>
</figure>`;
}

export function statsPage(d: StatsInput, shell: Shell): string {
  const s = t(shell.lang);
  const lang = shell.lang ?? 'vi';
  const vi = dataLang(lang);
  const num = (n: number, digits = 0) => formatNumber(n, lang, digits);
  const pct = (r: number | null) => formatPercent(r, lang);
  const year = d.year;
  // The province row is named by the page; agencies keep their stored (Vietnamese) names.
  const nameOf = (r: IndexView) => (r.code === null ? s['stats.province'] : r.name);
  const rows = [d.province, ...d.agencies];
  const body = html`
<h1>${fill(s['stats.h1'], { year })}</h1>
<p>${s['stats.intro']}</p>
<form class="inline" method="get" action="${paths.stats}">
<label for="nam">${s['stats.year']}</label>
<select id="nam" name="nam">${d.years.map((y) => html`<option value="${y}"${y === d.year ? html` selected` : ''}>${y}</option>`)}</select>
<button type="submit">${s['stats.show']}</button>
</form>
${barChart(
  fill(s['stats.chartScore'], { year }),
  rows.map((r) => ({ label: nameOf(r), value: score(r) })),
  'bieu-do-diem',
  lang,
)}
${barChart(
  fill(s['stats.chartOnTime'], { year }),
  rows.map((r) => ({ label: nameOf(r), value: r.onTimeRate })),
  'bieu-do-dung-han',
  lang,
)}
<h2>${s['stats.byAgency']}</h2>
<div class="scroll"><table>
<caption>${fill(s['stats.byAgencyCaption'], { year })}</caption>
<thead><tr><th scope="col">${s['stats.agency']}</th><th scope="col">${s['stats.received']}</th><th scope="col">${s['stats.finished']}</th><th scope="col">${s['stats.onTime']}</th><th scope="col">${s['stats.points']}</th></tr></thead>
<tbody>
${rows.map(
  (r) =>
    html`<tr><th scope="row"${r.code === null ? '' : vi}>${nameOf(r)}</th><td>${num(r.received)}</td><td>${num(r.finished)}</td><td>${pct(r.onTimeRate)}</td><td>${num(r.total, 2)}/${num(r.totalMax, 2)}</td></tr>`,
)}
</tbody>
</table></div>
<h2>${s['stats.figures']}</h2>
<div class="scroll"><table>
<caption>${fill(s['stats.figuresCaption'], { year })}</caption>
<thead><tr><th scope="col">${s['stats.indicator']}</th><th scope="col">${s['stats.ratio']}</th><th scope="col">${s['stats.points']}</th></tr></thead>
<tbody>
${d.province.figures.map(
  (f) =>
    html`<tr><th scope="row">${lang === 'en' ? f.labelEn : f.label}</th><td>${pct(f.ratio)}</td><td>${f.points === null ? s['stats.noData'] : `${num(f.points, 2)}/${num(f.maxPoints, 2)}`}</td></tr>`,
)}
</tbody>
</table></div>`;
  return layout({
    ...shell,
    title: fill(s['stats.title'], { year }),
    description: s['stats.description'],
    section: 'stats',
    body,
  });
}
