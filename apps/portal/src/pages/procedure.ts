import type { ProcedureDetail } from '@congvu/contracts';
import {
  AUTHORITY_LEVEL_VI,
  CHANNEL_VI,
  DURATION_UNIT_VI,
  FEE_WHEN_VI,
  ONLINE_LEVEL_VI,
  viDate,
  viMoney,
  viNumber,
} from '../format.ts';
import { html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';

type Case = ProcedureDetail['cases'][number];

function copies(c: Case['components'][number]) {
  const parts = [
    c.originals ? `${c.originals} bản chính` : '',
    c.certified ? `${c.certified} bản sao chứng thực` : '',
    c.copies ? `${c.copies} bản sao` : '',
  ].filter(Boolean);
  return parts.join(', ') || '—';
}

function caseSection(c: Case, many: boolean) {
  const id = `truong-hop-${c.ordinal}`;
  return html`<section class="case" aria-labelledby="${id}">
<h2 id="${id}">${many ? `Trường hợp ${c.ordinal}: ${c.name}` : 'Cách thực hiện'}</h2>
<h3>Thời hạn giải quyết và phí, lệ phí theo cách nộp</h3>
<div class="scroll"><table>
<caption>Thời hạn và phí, lệ phí theo cách nộp</caption>
<thead><tr><th scope="col">Cách nộp</th><th scope="col">Thời hạn giải quyết</th><th scope="col">Phí, lệ phí</th></tr></thead>
<tbody>
${c.channels.map(
  (ch) => html`<tr>
<th scope="row">${CHANNEL_VI[ch.channel] ?? `Kênh ${ch.channel}`}</th>
<td>${viNumber(ch.durationValue, 1)} ${DURATION_UNIT_VI[ch.durationUnit] ?? ch.durationUnit}${ch.description ? html`<br><span class="note">${ch.description}</span>` : ''}</td>
<td>${
    ch.fees.length
      ? html`<ul class="plain">${ch.fees.map(
          (f) =>
            html`<li>${f.name}: ${f.when === 'exempt' || f.when === 'none' ? FEE_WHEN_VI[f.when] : html`${viMoney(f.amount)} (${FEE_WHEN_VI[f.when] ?? f.when})`}${f.description ? html` — ${f.description}` : ''}</li>`,
        )}</ul>`
      : 'Không thu phí, lệ phí'
  }</td>
</tr>`,
)}
</tbody>
</table></div>
${
  c.steps.length
    ? html`<h3>Trình tự thực hiện</h3>
<ol class="steps">${c.steps.map((s) => html`<li>${s}</li>`)}</ol>`
    : ''
}
<h3>Thành phần hồ sơ</h3>
${
  c.components.length
    ? html`<div class="scroll"><table>
<caption>Giấy tờ cần nộp</caption>
<thead><tr><th scope="col">Giấy tờ</th><th scope="col">Số lượng</th><th scope="col">Mẫu đơn, tờ khai</th></tr></thead>
<tbody>
${c.components.map(
  (k) => html`<tr>
<td>${k.name}${k.required ? '' : html` <span class="note">(nếu có)</span>`}${k.alternativeGroup ? html` <span class="note">(hoặc giấy tờ khác cùng nhóm ${k.alternativeGroup})</span>` : ''}</td>
<td>${copies(k)}</td>
<td>${
    k.formBlob || k.formUrl
      ? html`<a href="${k.formBlob ? paths.form(k.formBlob) : (k.formUrl as string)}" download>Tải mẫu${k.formName ? html` ${k.formName}` : ''}</a>`
      : k.formName
        ? html`${k.formName} <span class="note">(nhận tại nơi nộp)</span>`
        : '—'
  }</td>
</tr>`,
)}
</tbody>
</table></div>`
    : html`<p>Không yêu cầu giấy tờ.</p>`
}
</section>`;
}

export function procedurePage(p: ProcedureDetail, shell: Shell): string {
  const online = p.cases.some((c) => c.channels.some((ch) => ch.channel === 2));
  const where = p.agencies.length ? p.agencies.map((a) => a.name) : p.implementing.map((i) => i.name);
  const body = html`
<nav aria-label="Vị trí trang" class="crumbs"><a href="${paths.catalogue}">Thủ tục hành chính</a> › <span>${p.code}</span></nav>
<h1>${p.name}</h1>
<dl class="facts">
<div><dt>Mã thủ tục</dt><dd>${p.code}</dd></div>
${p.sectorName ? html`<div><dt>Lĩnh vực</dt><dd>${p.sectorName}</dd></div>` : ''}
<div><dt>Cấp thực hiện</dt><dd>${AUTHORITY_LEVEL_VI[p.authorityLevel] ?? p.authorityLevel}</dd></div>
<div><dt>Mức độ</dt><dd>${ONLINE_LEVEL_VI[p.onlineLevel] ?? p.onlineLevel}</dd></div>
${p.applicants.length ? html`<div><dt>Đối tượng thực hiện</dt><dd>${p.applicants.join(', ')}</dd></div>` : ''}
<div><dt>Áp dụng từ</dt><dd>${viDate(p.validFrom)}</dd></div>
</dl>
${
  online
    ? html`<p class="action"><a class="button" href="${paths.submit(p.code)}">Nộp trực tuyến</a></p>`
    : html`<p class="note">Thủ tục này nộp trực tiếp hoặc qua bưu chính tại nơi tiếp nhận dưới đây.</p>`
}
<section aria-labelledby="noi-nop">
<h2 id="noi-nop">Nơi tiếp nhận hồ sơ</h2>
${where.length ? html`<ul>${where.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p>Bộ phận một cửa nơi bạn cư trú.</p>`}
</section>
${p.applicantDescription ? html`<p>${p.applicantDescription}</p>` : ''}
${p.cases.map((c) => caseSection(c, p.cases.length > 1))}
${p.conditions ? html`<section aria-labelledby="dieu-kien"><h2 id="dieu-kien">Yêu cầu, điều kiện</h2><p class="pre">${p.conditions}</p></section>` : ''}
${
  p.results.length
    ? html`<section aria-labelledby="ket-qua"><h2 id="ket-qua">Kết quả</h2><ul>${p.results.map((r) => html`<li>${r.name}</li>`)}</ul></section>`
    : ''
}
${
  p.legalBasis.length
    ? html`<section aria-labelledby="can-cu"><h2 id="can-cu">Căn cứ pháp lý</h2><ul>${p.legalBasis.map(
        (l) => html`<li>${l.number ? html`<strong>${l.number}</strong> ` : ''}${l.title}</li>`,
      )}</ul></section>`
    : ''
}
${p.announcingAgency ? html`<p class="note">Cơ quan công bố: ${p.announcingAgency}</p>` : ''}`;
  return layout({
    ...shell,
    title: p.name,
    description: `${p.name}: giấy tờ cần nộp, phí, lệ phí, thời hạn giải quyết, nơi nộp hồ sơ.`,
    section: 'catalogue',
    body,
  });
}
