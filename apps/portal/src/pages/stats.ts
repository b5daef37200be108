import { viNumber } from '../format.ts';
import { html } from '../html.ts';
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
  figures: Array<{ label: string; ratio: number | null; points: number | null; maxPoints: number }>;
}

export interface StatsInput {
  year: number;
  years: number[];
  province: IndexView;
  agencies: IndexView[];
}

const pct = (r: number | null) => (r === null ? '—' : `${viNumber(r * 100, 1)}%`);
const score = (v: IndexView) => (v.totalMax > 0 ? v.total / v.totalMax : null);

/**
 * A horizontal bar chart as inline SVG (no script, no inline style: presentation attributes only,
 * which the Content-Security-Policy allows). Values 0–1; a text alternative describes every bar.
 */
export function barChart(title: string, rows: Array<{ label: string; value: number | null }>, id: string) {
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
  const rows = [d.province, ...d.agencies];
  const body = html`
<h1>Chỉ số phục vụ người dân, doanh nghiệp năm ${d.year}</h1>
<p>Theo Quyết định 766/QĐ-TTg: điểm đạt được trên tổng điểm của các chỉ tiêu tính được, và tỷ lệ hồ sơ giải quyết đúng hạn.</p>
<form class="inline" method="get" action="${paths.stats}">
<label for="nam">Năm</label>
<select id="nam" name="nam">${d.years.map((y) => html`<option value="${y}"${y === d.year ? html` selected` : ''}>${y}</option>`)}</select>
<button type="submit">Xem</button>
</form>
${barChart(
  `Điểm chỉ số 766 theo cơ quan, năm ${d.year}`,
  rows.map((r) => ({ label: r.name, value: score(r) })),
  'bieu-do-diem',
)}
${barChart(
  `Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan, năm ${d.year}`,
  rows.map((r) => ({ label: r.name, value: r.onTimeRate })),
  'bieu-do-dung-han',
)}
<h2>Bảng số liệu theo cơ quan</h2>
<div class="scroll"><table>
<caption>Chỉ số 766 và hồ sơ theo cơ quan, năm ${d.year}</caption>
<thead><tr><th scope="col">Cơ quan</th><th scope="col">Hồ sơ tiếp nhận</th><th scope="col">Đã giải quyết</th><th scope="col">Đúng hạn</th><th scope="col">Điểm</th></tr></thead>
<tbody>
${rows.map(
  (r) =>
    html`<tr><th scope="row">${r.name}</th><td>${viNumber(r.received)}</td><td>${viNumber(r.finished)}</td><td>${pct(r.onTimeRate)}</td><td>${viNumber(r.total, 2)}/${viNumber(r.totalMax, 2)}</td></tr>`,
)}
</tbody>
</table></div>
<h2>Chi tiết các chỉ tiêu toàn tỉnh</h2>
<div class="scroll"><table>
<caption>Các chỉ tiêu QĐ 766 toàn tỉnh, năm ${d.year}</caption>
<thead><tr><th scope="col">Chỉ tiêu</th><th scope="col">Tỷ lệ</th><th scope="col">Điểm</th></tr></thead>
<tbody>
${d.province.figures.map(
  (f) =>
    html`<tr><th scope="row">${f.label}</th><td>${pct(f.ratio)}</td><td>${f.points === null ? 'chưa có số liệu' : `${viNumber(f.points, 2)}/${viNumber(f.maxPoints, 2)}`}</td></tr>`,
)}
</tbody>
</table></div>`;
  return layout({
    ...shell,
    title: `Thống kê năm ${d.year}`,
    description: 'Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766) và tỷ lệ giải quyết đúng hạn theo cơ quan.',
    section: 'stats',
    body,
  });
}
