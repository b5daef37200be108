import type { PublicDossierStatus } from '@congvu/contracts';
import { viDate, viDateTime } from '../format.ts';
import { html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** What the citizen should do next, per TrangThaiHoSo (1–10), in plain Vietnamese. */
export const NEXT_STEP_VI: Record<number, string> = {
  1: 'Hồ sơ đã được đăng ký, đang chờ cán bộ tiếp nhận kiểm tra. Bạn chưa cần làm gì thêm.',
  2: 'Hồ sơ đã được tiếp nhận. Bạn chờ kết quả theo ngày hẹn trả.',
  3: 'Hồ sơ không được tiếp nhận. Vui lòng xem phiếu từ chối hoặc liên hệ bộ phận một cửa để biết lý do.',
  4: 'Hồ sơ đang được giải quyết. Bạn chờ kết quả theo ngày hẹn trả.',
  5: 'Bạn cần bổ sung giấy tờ theo phiếu yêu cầu bổ sung, tại bộ phận một cửa nơi đã nộp hồ sơ.',
  6: 'Bạn cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính theo thông báo, rồi mang chứng từ đến bộ phận một cửa.',
  7: 'Hồ sơ đã được rút theo yêu cầu của bạn. Không cần làm gì thêm.',
  8: 'Hồ sơ đã dừng xử lý. Vui lòng liên hệ bộ phận một cửa để biết lý do.',
  9: 'Hồ sơ đã giải quyết xong. Bạn mang giấy tiếp nhận hồ sơ và hẹn trả kết quả đến nhận kết quả.',
  10: 'Bạn đã nhận kết quả. Hồ sơ đã hoàn tất.',
};

export interface LookupInput {
  /** What was typed (kept in the form). */
  code?: string | undefined;
  secret?: string | undefined;
  /** The status found; null when the code and secret were given but do not match a dossier. */
  result?: PublicDossierStatus | null;
}

function form(d: LookupInput) {
  return html`<form class="search" method="get" action="${paths.lookup}">
<div class="field">
<label for="ma">Mã hồ sơ</label>
<input id="ma" name="ma" value="${d.code ?? ''}" required maxlength="64" autocomplete="off" aria-describedby="ma-goi-y">
<p class="hint" id="ma-goi-y">In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.</p>
</div>
<div class="field">
<label for="k">Mã tra cứu</label>
<input id="k" name="k" value="${d.secret ?? ''}" required minlength="6" maxlength="64" autocomplete="off" aria-describedby="k-goi-y">
<p class="hint" id="k-goi-y">In trên giấy tiếp nhận, cạnh mã QR. Quét mã QR sẽ mở thẳng trang này.</p>
</div>
<button type="submit">Tra cứu</button>
</form>`;
}

function status(s: PublicDossierStatus) {
  return html`<section class="status" aria-labelledby="ket-qua-tra-cuu">
<h2 id="ket-qua-tra-cuu">Hồ sơ ${s.code}</h2>
<p class="label"><strong>Tình trạng: ${s.label}</strong></p>
<p class="next"><strong>Việc bạn cần làm:</strong> ${NEXT_STEP_VI[s.portalStatus] ?? 'Liên hệ bộ phận một cửa nơi nộp hồ sơ.'}</p>
<dl class="facts">
<div><dt>Thủ tục</dt><dd>${s.procedureName}</dd></div>
${s.receivedAt ? html`<div><dt>Ngày tiếp nhận</dt><dd>${viDate(s.receivedAt)}</dd></div>` : ''}
${s.dueAt ? html`<div><dt>Ngày hẹn trả kết quả</dt><dd>${viDateTime(s.dueAt)}</dd></div>` : ''}
${s.finishedAt ? html`<div><dt>Ngày giải quyết xong</dt><dd>${viDate(s.finishedAt)}</dd></div>` : ''}
${s.deliveredAt ? html`<div><dt>Ngày trả kết quả</dt><dd>${viDate(s.deliveredAt)}</dd></div>` : ''}
</dl>
<h3>Các bước đã qua</h3>
<ol class="timeline">
${s.history.map((h) => html`<li><time datetime="${h.at}">${viDateTime(h.at)}</time> — ${h.label}</li>`)}
</ol>
</section>`;
}

/** The lookup form, and below it the status found or the one "not found" message. */
export function lookupPage(d: LookupInput, shell: Shell): string {
  const asked = d.result !== undefined;
  const body = html`
<h1>Tra cứu hồ sơ</h1>
<p>Nhập mã hồ sơ và mã tra cứu in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.</p>
${form(d)}
${
  asked
    ? d.result
      ? status(d.result)
      : html`<div class="alert" role="alert"><h2>Không tìm thấy hồ sơ</h2><p>Không có hồ sơ nào khớp với mã hồ sơ và mã tra cứu đã nhập. Vui lòng kiểm tra lại hai mã trên giấy tiếp nhận.</p></div>`
    : ''
}`;
  return layout({
    ...shell,
    title: d.result ? `Hồ sơ ${d.result.code}` : 'Tra cứu hồ sơ',
    description: 'Tra cứu tình trạng giải quyết hồ sơ thủ tục hành chính bằng mã hồ sơ và mã tra cứu.',
    section: 'lookup',
    noindex: asked,
    body,
  });
}
