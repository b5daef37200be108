/**
 * "Hồ sơ của tôi": the signed-in citizen's dossiers after submission (issue 7): the list, one
 * dossier (status, steps, due date, fees, papers, results, what to do now) with its forms
 * (supplement answered online, payment, rating), the withdrawal confirmation and the payment
 * result page. Pure renders, no script; every form posts with the CSRF token.
 */
import type { DossierView } from '@congvu/contracts';
import { viDate, viDateTime, viMoney } from '../format.ts';
import { type Html, html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { CSRF_FIELD, type FormState } from './account.ts';

export interface MineItem {
  code: string;
  procedureName: string;
  label: string;
  submittedAt: string;
  dueAt: string | null;
  mustAct: boolean;
}

export interface MineDossier {
  view: DossierView;
  owed: { ordinal: number; name: string; amount: number }[];
  rated: { level: number; satisfied: number; ratedAt: string } | null;
  canWithdraw: boolean;
  canRate: boolean;
  canChoosePost: boolean;
}

/** A result file's signature check, as the signing module reports it. */
export interface ResultCheck {
  valid: boolean;
  trusted: boolean;
  signatures: { signer: string; signingTime: string | null }[];
}

/** The 5 levels of the overall answer, best first (value 5 … 1). */
export const RATING_LEVELS_VI: Array<[number, string]> = [
  [5, 'Rất hài lòng'],
  [4, 'Hài lòng'],
  [3, 'Bình thường'],
  [2, 'Không hài lòng'],
  [1, 'Rất không hài lòng'],
];

/** The 9 QĐ 766 satisfaction criteria (9 × 2 points), as asked of the citizen. */
export const RATING_CRITERIA_VI = [
  'Tổng thời gian giải quyết so với thời gian quy định',
  'Thời gian giải quyết của từng cơ quan, kể cả cơ quan phối hợp',
  'Số lần phải liên hệ để hoàn thiện hồ sơ',
  'Số lượng cơ quan phải liên hệ',
  'Việc tiếp nhận hồ sơ và trả kết quả tại Bộ phận Một cửa',
  'Việc công khai thủ tục hành chính',
  'Thái độ của cán bộ, công chức',
  'Việc tiếp thu, giải trình phản ánh, kiến nghị',
  'Tiến độ, chất lượng dịch vụ công trực tuyến',
];

const EVENT_VI: Record<string, string> = {
  submitted: 'Nộp hồ sơ trực tuyến',
  received: 'Tiếp nhận hồ sơ',
  accepted: 'Tiếp nhận hồ sơ',
  refused: 'Từ chối tiếp nhận hồ sơ',
  step_completed: 'Hoàn thành một bước xử lý',
  handed_over: 'Chuyển hồ sơ sang cơ quan khác',
  supplement_requested: 'Yêu cầu bổ sung hồ sơ',
  supplement_received: 'Đã nhận giấy tờ bổ sung',
  financial_requested: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  financial_done: 'Đã thực hiện nghĩa vụ tài chính',
  paid_online: 'Đã thanh toán trực tuyến',
  apology: 'Xin lỗi và hẹn lại ngày trả kết quả',
  withdrawn: 'Rút hồ sơ',
  stopped: 'Dừng xử lý hồ sơ',
  done: 'Đã giải quyết xong',
  delivered: 'Đã trả kết quả',
  rated: 'Đánh giá mức độ hài lòng',
};

/** What the owner must do now, per state, in plain Vietnamese. */
const TODO_VI: Record<string, string> = {
  submitted: 'Hồ sơ đang chờ cán bộ tiếp nhận kiểm tra. Bạn chưa cần làm gì thêm.',
  received: 'Hồ sơ đã được tiếp nhận. Bạn chờ kết quả theo ngày hẹn trả.',
  processing: 'Hồ sơ đang được giải quyết. Bạn chờ kết quả theo ngày hẹn trả.',
  supplement: 'Bạn cần bổ sung giấy tờ theo yêu cầu dưới đây. Có thể gửi trực tuyến ngay trên trang này.',
  financial: 'Bạn cần thực hiện nghĩa vụ tài chính theo thông báo.',
  refused: 'Hồ sơ không được tiếp nhận. Xem lý do trong các bước đã qua.',
  withdrawn: 'Hồ sơ đã được rút. Không cần làm gì thêm.',
  stopped: 'Hồ sơ đã dừng xử lý. Vui lòng liên hệ bộ phận một cửa để biết lý do.',
  done: 'Hồ sơ đã giải quyết xong. Bạn nhận kết quả theo hướng dẫn dưới đây.',
  delivered: 'Bạn đã nhận kết quả. Hồ sơ đã hoàn tất.',
};

function page(shell: Shell, title: string, body: Html): string {
  return layout({ ...shell, title, section: 'mine', noindex: true, body });
}

const csrfInput = (f: { csrf: string }) => html`<input type="hidden" name="${CSRF_FIELD}" value="${f.csrf}">`;

function formError(f: FormState): Html | '' {
  const e = f.errors?._form;
  return e ? html`<div class="alert" role="alert"><p>${e}</p></div>` : '';
}

/** The list of the citizen's dossiers, newest first. */
export function minePage(d: { items: MineItem[] }, shell: Shell): string {
  const body =
    d.items.length === 0
      ? html`<p>Bạn chưa có hồ sơ nào nộp trực tuyến bằng tài khoản này. <a href="${paths.catalogue}">Tìm thủ tục để nộp hồ sơ</a>.</p>`
      : html`<ul class="results">
${d.items.map(
  (i) => html`<li>
<h2><a href="${paths.mineDossier(i.code)}">${i.code}</a>${i.mustAct ? html` <strong class="badge">Cần làm</strong>` : ''}</h2>
<p>${i.procedureName}</p>
<p class="meta">Tình trạng: ${i.label} · nộp ngày ${viDate(i.submittedAt)}${i.dueAt ? html` · hẹn trả ngày ${viDate(i.dueAt)}` : ''}</p>
</li>`,
)}
</ul>`;
  return page(shell, 'Hồ sơ của tôi', html`<h1>Hồ sơ của tôi</h1>${body}`);
}

function fees(d: MineDossier, f: FormState, payable: boolean) {
  const lines = d.view.fees.filter((x) => x.amount > 0);
  if (lines.length === 0) return html`<p>Hồ sơ không phải nộp phí, lệ phí.</p>`;
  const owedTotal = d.owed.reduce((s, x) => s + x.amount, 0);
  return html`<div class="scroll"><table>
<caption>Phí, lệ phí</caption>
<thead><tr><th scope="col">Khoản</th><th scope="col">Số tiền</th><th scope="col">Tình trạng</th></tr></thead>
<tbody>
${lines.map(
  (x) =>
    html`<tr><td>${x.name}</td><td>${viMoney(x.amount)}</td><td>${
      x.paidAt
        ? html`Đã nộp ngày ${viDate(x.paidAt)}${x.paidOnline ? ' (trực tuyến)' : ''}`
        : x.whenPaid === 'exempt'
          ? 'Được miễn'
          : 'Chưa nộp'
    }</td></tr>`,
)}
</tbody>
</table></div>
${
  owedTotal > 0 && payable
    ? html`<form class="action" method="post" action="${paths.minePay(d.view.code)}">
${csrfInput(f)}
<p>Còn phải nộp: <strong>${viMoney(owedTotal)}</strong>.</p>
<button type="submit">Thanh toán trực tuyến</button>
</form>`
    : ''
}`;
}

function supplementForm(d: MineDossier, f: FormState & { key: string; store: StoreChoice[] | null }) {
  const pause = [...d.view.pauses].reverse().find((p) => p.kind === 'supplement' && !p.resumedAt);
  const items = Array.isArray(pause?.items) ? (pause.items as unknown[]).map(String) : [];
  const err = f.errors?.files;
  return html`<section aria-labelledby="bo-sung">
<h2 id="bo-sung">Bổ sung hồ sơ</h2>
${pause ? html`<p><strong>Lý do:</strong> ${pause.reason}</p>` : ''}
${items.length ? html`<p>Giấy tờ cần bổ sung:</p><ul class="plain">${items.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
${formError(f)}
<form class="form" method="post" action="${paths.mineSupplement(d.view.code)}" enctype="multipart/form-data" novalidate>
${csrfInput(f)}
<input type="hidden" name="key" value="${f.key}">
<div class="field">
<label for="files">Tệp giấy tờ bổ sung</label>
<input id="files" name="files" type="file" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="files-goi-y${err ? ' files-loi' : ''}"${err ? html` aria-invalid="true"` : ''}>
<p class="hint" id="files-goi-y">PDF, JPG hoặc PNG; tối đa 5 tệp, mỗi tệp không quá ${f.values?.maxMb ?? '20'} MB.</p>
${err ? html`<p class="error" id="files-loi">${err}</p>` : ''}
</div>
${
  f.store?.length
    ? html`<fieldset>
<legend>Hoặc chọn giấy tờ trong kho dữ liệu của bạn</legend>
${f.store.map(
  (s) =>
    html`<div><input type="checkbox" id="kho-${s.id}" name="kho" value="${s.id}"> <label for="kho-${s.id}">${s.name}</label></div>`,
)}
</fieldset>`
    : ''
}
<button type="submit">Gửi giấy tờ bổ sung</button>
</form>
</section>`;
}

export interface StoreChoice {
  id: string;
  name: string;
}

function results(d: MineDossier, checks: Record<string, ResultCheck>) {
  if (d.view.results.length === 0) return '';
  return html`<h2>Kết quả giải quyết</h2>
<ul class="results">
${d.view.results.map((r) => {
  const c = checks[r.id];
  const sig = c?.signatures[0];
  return html`<li>
<h3>${r.blob ? html`<a href="${paths.mineResult(d.view.code, r.id)}">${r.name}</a>` : r.name}</h3>
${
  c
    ? c.valid && c.trusted && sig
      ? html`<p class="notice">Đã ký số hợp lệ bởi ${sig.signer}${sig.signingTime ? html` lúc ${viDateTime(sig.signingTime)}` : ''}.</p>`
      : html`<p class="alert">Chữ ký số của tệp này không hợp lệ hoặc không được tin cậy.</p>`
    : html`<p class="meta">${r.blob ? 'Bản điện tử' : 'Bản giấy, nhận tại bộ phận một cửa'}</p>`
}
</li>`;
})}
</ul>`;
}

function postForm(d: MineDossier, f: FormState) {
  const v = d.view;
  const chosen = v.deliveryMethod === 'post' && v.deliveryNote;
  if (!d.canChoosePost)
    return chosen ? html`<h2>Nhận kết quả qua bưu chính</h2><p>${v.deliveryNote}</p>` : '';
  const err = f.errors ?? {};
  const input = (name: string, label: string, type: string, auto: string, max: number) =>
    html`<div class="field">
<label for="${name}">${label}</label>
<input id="${name}" name="${name}" type="${type}" value="${f.values?.[name] ?? ''}" required maxlength="${max}" autocomplete="${auto}"${
      err[name] ? html` aria-invalid="true" aria-describedby="${name}-loi"` : ''
    }>
${err[name] ? html`<p class="error" id="${name}-loi">${err[name]}</p>` : ''}
</div>`;
  return html`<section aria-labelledby="buu-chinh">
<h2 id="buu-chinh">Nhận kết quả qua bưu chính</h2>
${chosen ? html`<p>Bạn đã chọn: ${v.deliveryNote}</p>` : html`<p>Nếu muốn nhận kết quả tại nhà, nhập địa chỉ và số điện thoại người nhận.</p>`}
<form class="form" method="post" action="${paths.minePost(v.code)}" novalidate>
${csrfInput(f)}
${input('address', 'Địa chỉ nhận kết quả', 'text', 'street-address', 500)}
${input('phone', 'Số điện thoại người nhận', 'tel', 'tel', 20)}
<button type="submit">Chọn nhận qua bưu chính</button>
</form>
</section>`;
}

function ratingForm(d: MineDossier, f: FormState) {
  if (d.rated)
    return html`<h2>Đánh giá mức độ hài lòng</h2><p>Bạn đã đánh giá hồ sơ này ngày ${viDate(d.rated.ratedAt)}: ${
      RATING_LEVELS_VI.find(([v]) => v === d.rated?.level)?.[1] ?? ''
    }. Cảm ơn bạn.</p>`;
  if (!d.canRate) return '';
  const err = f.errors ?? {};
  return html`<section aria-labelledby="danh-gia">
<h2 id="danh-gia">Đánh giá mức độ hài lòng</h2>
${formError(f)}
<form class="form" method="post" action="${paths.mineRate(d.view.code)}" novalidate>
${csrfInput(f)}
<fieldset${err.level ? html` aria-describedby="level-loi"` : ''}>
<legend>Bạn hài lòng thế nào với việc giải quyết hồ sơ?</legend>
${RATING_LEVELS_VI.map(
  ([v, label]) =>
    html`<div><input type="radio" id="level-${v}" name="level" value="${v}"${f.values?.level === String(v) ? html` checked` : ''}${
      err.level ? html` aria-invalid="true"` : ''
    }> <label for="level-${v}">${label}</label></div>`,
)}
${err.level ? html`<p class="error" id="level-loi">${err.level}</p>` : ''}
</fieldset>
${RATING_CRITERIA_VI.map((q, i) => {
  const name = `c${i + 1}`;
  const e = err[name];
  return html`<fieldset${e ? html` aria-describedby="${name}-loi"` : ''}>
<legend>${i + 1}. ${q}</legend>
<div><input type="radio" id="${name}-1" name="${name}" value="1"${f.values?.[name] === '1' ? html` checked` : ''}${
    e ? html` aria-invalid="true"` : ''
  }> <label for="${name}-1">Hài lòng</label></div>
<div><input type="radio" id="${name}-0" name="${name}" value="0"${f.values?.[name] === '0' ? html` checked` : ''}${
    e ? html` aria-invalid="true"` : ''
  }> <label for="${name}-0">Không hài lòng</label></div>
${e ? html`<p class="error" id="${name}-loi">${e}</p>` : ''}
</fieldset>`;
})}
<div class="field">
<label for="comment">Góp ý (không bắt buộc)</label>
<textarea id="comment" name="comment" maxlength="2000" rows="4">${f.values?.comment ?? ''}</textarea>
</div>
<button type="submit">Gửi đánh giá</button>
</form>
</section>`;
}

/** One dossier of the citizen: status, what to do now, steps, fees, papers, results, forms. */
export function mineDossierPage(
  d: MineDossier & {
    csrf: string;
    key: string;
    store: StoreChoice[] | null;
    checks: Record<string, ResultCheck>;
    notice?: string | undefined;
    payable: boolean;
    supplement?: FormState | undefined;
    rating?: FormState | undefined;
    /** The postal delivery form: values prefilled from the profile, or typed, and errors. */
    post?: Omit<FormState, 'csrf'> | undefined;
    maxUploadMb: number;
  },
  shell: Shell,
): string {
  const v = d.view;
  const body = html`<p><a href="${paths.mine}">← Hồ sơ của tôi</a></p>
<h1>Hồ sơ ${v.code}</h1>
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
<section class="status" aria-labelledby="tinh-trang">
<h2 id="tinh-trang">Tình trạng: ${v.status.label}</h2>
<p><strong>Việc bạn cần làm:</strong> ${TODO_VI[v.state] ?? 'Liên hệ bộ phận một cửa nơi nộp hồ sơ.'}</p>
<dl class="facts">
<div><dt>Thủ tục</dt><dd>${v.procedureName}</dd></div>
<div><dt>Cơ quan tiếp nhận</dt><dd>${v.agencyName}</dd></div>
<div><dt>Ngày nộp</dt><dd>${viDate(v.submittedAt)}</dd></div>
${v.dueAt ? html`<div><dt>Ngày hẹn trả kết quả</dt><dd>${viDate(v.dueAt)}</dd></div>` : ''}
${v.finishedAt ? html`<div><dt>Ngày giải quyết xong</dt><dd>${viDate(v.finishedAt)}</dd></div>` : ''}
${v.closedReason ? html`<div><dt>Lý do</dt><dd>${v.closedReason}</dd></div>` : ''}
</dl>
</section>
${v.state === 'supplement' ? supplementForm(d, { ...(d.supplement ?? { csrf: d.csrf }), csrf: d.csrf, key: d.key, store: d.store, values: { maxMb: String(d.maxUploadMb) } }) : ''}
<h2>Các bước đã qua</h2>
<ol class="timeline">
${v.events.map(
  (e) =>
    html`<li><time datetime="${e.at}">${viDateTime(e.at)}</time> — ${EVENT_VI[e.kind] ?? e.kind}${e.note ? html`: ${e.note}` : ''}</li>`,
)}
</ol>
<h2>Phí, lệ phí</h2>
${fees(d, { csrf: d.csrf }, d.payable)}
<h2>Giấy tờ trong hồ sơ</h2>
${
  v.components.length
    ? html`<ul class="plain">${v.components.map((c) => html`<li>${c.name}${c.blob ? ' (bản điện tử)' : ''}</li>`)}</ul>`
    : html`<p>Chưa có giấy tờ nào.</p>`
}
${results(d, d.checks)}
${postForm(d, { ...(d.post ?? {}), csrf: d.csrf })}
${ratingForm(d, { ...(d.rating ?? {}), csrf: d.csrf })}
${d.canWithdraw ? html`<p class="action"><a class="button" href="${paths.mineWithdraw(v.code)}">Rút hồ sơ</a></p>` : ''}`;
  return page(shell, `Hồ sơ ${v.code}`, body);
}

/** The withdrawal confirmation: the reason, then a POST. */
export function withdrawPage(d: FormState & { code: string }, shell: Shell): string {
  const err = d.errors?.reason;
  return page(
    shell,
    `Rút hồ sơ ${d.code}`,
    html`<h1>Rút hồ sơ ${d.code}</h1>
<p>Sau khi rút, hồ sơ sẽ không được giải quyết tiếp. Bạn có chắc chắn muốn rút hồ sơ này?</p>
${formError(d)}
<form class="form" method="post" action="${paths.mineWithdraw(d.code)}" novalidate>
${csrfInput(d)}
<div class="field">
<label for="reason">Lý do rút hồ sơ</label>
<textarea id="reason" name="reason" required maxlength="1000" rows="3"${err ? html` aria-invalid="true" aria-describedby="reason-loi"` : ''}>${d.values?.reason ?? ''}</textarea>
${err ? html`<p class="error" id="reason-loi">${err}</p>` : ''}
</div>
<button type="submit">Xác nhận rút hồ sơ</button>
</form>
<p><a href="${paths.mineDossier(d.code)}">Không rút, quay lại hồ sơ</a></p>`,
  );
}

export interface PaymentResultInput {
  /** null: the signature of the gateway's answer did not verify. */
  result: {
    txnRef: string;
    dossierCode: string;
    amount: number;
    status: 'pending' | 'paid' | 'failed' | 'expired';
    gatewaySuccess: boolean;
    simulator: boolean;
  } | null;
  /** The receipt's address for this browser (the owner signed in), if paid. */
  receiptHref?: string | undefined;
  dossierHref?: string | undefined;
}

/** Back from the payment gateway: paid, failed or still pending, in plain Vietnamese. */
export function paymentResultPage(d: PaymentResultInput, shell: Shell): string {
  const r = d.result;
  let body: Html;
  if (!r)
    body = html`<div class="alert" role="alert"><h2>Không xác nhận được kết quả thanh toán</h2><p>Thông tin trả về từ cổng thanh toán không hợp lệ. Nếu tài khoản của bạn đã bị trừ tiền, vui lòng liên hệ bộ phận một cửa và đưa mã giao dịch.</p></div>`;
  else {
    const what =
      r.status === 'paid'
        ? html`<div class="notice" role="status"><h2>Thanh toán thành công</h2><p>Bạn đã nộp ${viMoney(r.amount)} cho hồ sơ ${r.dossierCode}.</p></div>`
        : r.status === 'failed' || r.status === 'expired' || !r.gatewaySuccess
          ? html`<div class="alert" role="alert"><h2>Thanh toán không thành công</h2><p>Giao dịch cho hồ sơ ${r.dossierCode} chưa được thanh toán. Phí, lệ phí vẫn còn phải nộp; bạn có thể thanh toán lại.</p></div>`
          : html`<div class="status" role="status"><h2>Đang chờ xác nhận thanh toán</h2><p>Cổng thanh toán chưa báo kết quả cho giao dịch của hồ sơ ${r.dossierCode}. Vui lòng tải lại trang sau ít phút.</p></div>`;
    body = html`${what}
<dl class="facts">
<div><dt>Mã giao dịch</dt><dd>${r.txnRef}</dd></div>
<div><dt>Số tiền</dt><dd>${viMoney(r.amount)}</dd></div>
</dl>
${r.simulator ? html`<p class="note">Thanh toán qua Cổng thanh toán mô phỏng — không phải ngân hàng thật.</p>` : ''}
${r.status === 'paid' && d.receiptHref ? html`<p><a href="${d.receiptHref}">Tải biên nhận thanh toán (PDF)</a></p>` : ''}
${d.dossierHref ? html`<p><a href="${d.dossierHref}">Quay lại hồ sơ ${r.dossierCode}</a></p>` : ''}`;
  }
  return page(shell, 'Kết quả thanh toán', html`<h1>Kết quả thanh toán</h1>${body}`);
}
