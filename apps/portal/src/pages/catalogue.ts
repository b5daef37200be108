import type { ProcedureSector, ProcedureSummary } from '@congvu/contracts';
import { AUTHORITY_LEVEL_VI, ONLINE_LEVEL_VI } from '../format.ts';
import { html, query } from '../html.ts';
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

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`;

/** The search form (GET, works without JavaScript); `compact` shows only the words box. */
export function searchForm(
  f: CatalogueFilters,
  sectors: ProcedureSector[],
  agencies: AgencyOption[],
  opts: { compact?: boolean } = {},
) {
  return html`<form class="search" method="get" action="${paths.catalogue}" role="search">
<div class="field">
<label for="q">Tên hoặc mã thủ tục</label>
<input id="q" name="q" type="search" value="${f.q ?? ''}" maxlength="200" placeholder="ví dụ: dang ky khai sinh">
</div>
${
  opts.compact
    ? ''
    : html`<div class="field">
<label for="linhVuc">Lĩnh vực</label>
<select id="linhVuc" name="linhVuc">
<option value="">Tất cả lĩnh vực</option>
${sectors.map((s) => option(s.code, s.name, f.linhVuc))}
</select>
</div>
<div class="field">
<label for="coQuan">Cơ quan giải quyết</label>
<select id="coQuan" name="coQuan">
<option value="">Tất cả cơ quan</option>
${agencies.map((a) => option(a.code, a.name, f.coQuan))}
</select>
</div>
<div class="field">
<label for="capDo">Cấp thực hiện</label>
<select id="capDo" name="capDo">
<option value="">Tất cả các cấp</option>
${Object.entries(AUTHORITY_LEVEL_VI).map(([v, l]) => option(v, l, f.capDo))}
</select>
</div>`
}
<button type="submit">Tìm kiếm</button>
</form>`;
}

export function cataloguePage(d: CatalogueInput, shell: Shell): string {
  const page = d.filters.trang ?? 1;
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  const link = (p: number) =>
    `${paths.catalogue}${query({ q: d.filters.q, linhVuc: d.filters.linhVuc, coQuan: d.filters.coQuan, capDo: d.filters.capDo, trang: p > 1 ? p : undefined })}`;
  const body = html`
<h1>Thủ tục hành chính</h1>
${searchForm(d.filters, d.sectors, d.agencies)}
<p class="count" role="status">Tìm thấy ${d.total} thủ tục${d.filters.q ? html` cho “${d.filters.q}”` : ''}.</p>
${
  d.items.length
    ? html`<ol class="results">
${d.items.map(
  (p) => html`<li>
<h2><a href="${paths.procedure(p.code)}">${p.name}</a></h2>
<p class="meta">Mã ${p.code}${p.sectorName ? html` · ${p.sectorName}` : ''} · ${AUTHORITY_LEVEL_VI[p.authorityLevel] ?? p.authorityLevel}</p>
<p class="meta">${ONLINE_LEVEL_VI[p.onlineLevel] ?? ''}</p>
</li>`,
)}
</ol>`
    : html`<p>Không có thủ tục nào phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt điều kiện lọc.</p>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="Phân trang">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Trang trước</a>` : ''}
<span>Trang ${page}/${pages}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">Trang sau</a>` : ''}
</nav>`
    : ''
}`;
  return layout({
    ...shell,
    title: d.filters.q ? `Tìm thủ tục: ${d.filters.q}` : 'Thủ tục hành chính',
    description: 'Danh mục thủ tục hành chính: tìm theo tên, lĩnh vực, cơ quan, cấp thực hiện.',
    section: 'catalogue',
    body,
  });
}
