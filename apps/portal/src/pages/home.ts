import type { ProcedureSector } from '@congvu/contracts';
import { html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { searchForm } from './catalogue.ts';

export interface HomeInput {
  sectors: ProcedureSector[];
  procedureCount: number;
}

/** Home: search first, then the ways in (sectors, lookup, statistics). */
export function homePage(d: HomeInput, shell: Shell): string {
  const body = html`
<section class="hero">
<h1>Tra cứu thủ tục hành chính, theo dõi hồ sơ</h1>
<p>Tìm thủ tục cần làm (gõ có dấu hay không dấu đều được), xem giấy tờ, phí, lệ phí, thời hạn giải quyết và nơi nộp.</p>
${searchForm({}, [], [], { compact: true })}
</section>
<section aria-labelledby="loi-tat">
<h2 id="loi-tat">Bạn cần</h2>
<ul class="cards">
<li><a href="${paths.catalogue}">Xem danh mục ${d.procedureCount} thủ tục hành chính</a></li>
<li><a href="${paths.lookup}">Tra cứu tình trạng hồ sơ đã nộp</a></li>
<li><a href="${paths.stats}">Xem chỉ số phục vụ người dân, doanh nghiệp</a></li>
</ul>
</section>
${
  d.sectors.length
    ? html`<section aria-labelledby="linh-vuc">
<h2 id="linh-vuc">Thủ tục theo lĩnh vực</h2>
<ul class="sectors">
${d.sectors.map((s) => html`<li><a href="${`${paths.catalogue}?linhVuc=${encodeURIComponent(s.code)}`}">${s.name}</a></li>`)}
</ul>
</section>`
    : ''
}`;
  return layout({
    ...shell,
    title: 'Trang chủ',
    description:
      'Cổng dịch vụ công: tra cứu thủ tục hành chính, giấy tờ, phí, lệ phí, thời hạn; tra cứu tình trạng hồ sơ.',
    section: 'home',
    body,
  });
}
