import type { CitizenProfile, CitizenStoreItem } from '@congvu/contracts';
import { viDate } from '../format.ts';
import { type Html, html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** The name of the hidden field carrying the CSRF token in every portal form. */
export const CSRF_FIELD = '_csrf';

/** A form as shown again after an error: what was typed (never a password) and messages per field. */
export interface FormState {
  csrf: string;
  values?: Record<string, string | undefined>;
  /** Field name → Vietnamese message; `_form` for the form as a whole. */
  errors?: Record<string, string | undefined>;
}

interface FieldOpts {
  type?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  maxlength?: number;
  inputmode?: string;
}

function field(f: FormState, name: string, label: string, o: FieldOpts = {}): Html {
  const error = f.errors?.[name];
  const value = o.type === 'password' ? '' : (f.values?.[name] ?? '');
  const described = [o.hint ? `${name}-goi-y` : '', error ? `${name}-loi` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${name}">${label}</label>
<input id="${name}" name="${name}" type="${o.type ?? 'text'}" value="${value}"${o.required ? html` required` : ''}${
    o.maxlength ? html` maxlength="${o.maxlength}"` : ''
  }${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${
    error ? html` aria-invalid="true"` : ''
  }${described ? html` aria-describedby="${described}"` : ''}>
${o.hint ? html`<p class="hint" id="${name}-goi-y">${o.hint}</p>` : ''}
${error ? html`<p class="error" id="${name}-loi">${error}</p>` : ''}
</div>`;
}

function csrfInput(f: FormState): Html {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${f.csrf}">`;
}

function formError(f: FormState): Html | '' {
  const e = f.errors?._form;
  return e ? html`<div class="alert" role="alert"><p>${e}</p></div>` : '';
}

function page(shell: Shell, title: string, body: Html): string {
  return layout({ ...shell, title, section: 'account', noindex: true, body });
}

export interface SignInInput extends FormState {
  /** Where to go after signing in (a portal path). */
  next?: string | undefined;
  /** The address that starts the VNeID (OIDC) sign-in; absent when not configured. */
  oidcHref?: string | undefined;
  notice?: string | undefined;
}

export function signInPage(d: SignInInput, shell: Shell): string {
  return page(
    shell,
    'Đăng nhập',
    html`<h1>Đăng nhập</h1>
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
${formError(d)}
<form class="form" method="post" action="${paths.signIn}" novalidate>
${csrfInput(d)}
${d.next ? html`<input type="hidden" name="tiep" value="${d.next}">` : ''}
${field(d, 'login', 'Số điện thoại hoặc thư điện tử', { required: true, maxlength: 254, autocomplete: 'username' })}
${field(d, 'password', 'Mật khẩu', { type: 'password', required: true, maxlength: 200, autocomplete: 'current-password' })}
<button type="submit">Đăng nhập</button>
</form>
<p><a href="${paths.forgot}">Quên mật khẩu?</a></p>
<p>Chưa có tài khoản? <a href="${paths.signUp}">Đăng ký tài khoản</a></p>
${
  d.oidcHref
    ? html`<h2 class="or">Hoặc</h2>
<p><a class="button" href="${d.oidcHref}">Đăng nhập bằng VNeID</a></p>
<p class="hint">Dùng tài khoản định danh điện tử quốc gia (VNeID).</p>`
    : ''
}`,
  );
}

export function signUpPage(d: FormState, shell: Shell): string {
  return page(
    shell,
    'Đăng ký tài khoản',
    html`<h1>Đăng ký tài khoản</h1>
<p>Cần số điện thoại hoặc thư điện tử (hoặc cả hai) để đăng nhập.</p>
${formError(d)}
<form class="form" method="post" action="${paths.signUp}" novalidate>
${csrfInput(d)}
${field(d, 'fullName', 'Họ và tên', { required: true, maxlength: 200, autocomplete: 'name' })}
${field(d, 'phone', 'Số điện thoại', { type: 'tel', maxlength: 20, autocomplete: 'tel', inputmode: 'tel' })}
${field(d, 'email', 'Thư điện tử', { type: 'email', maxlength: 254, autocomplete: 'email' })}
${field(d, 'password', 'Mật khẩu', {
  type: 'password',
  required: true,
  maxlength: 200,
  autocomplete: 'new-password',
  hint: 'Ít nhất 10 ký tự, có chữ cái và chữ số.',
})}
<button type="submit">Đăng ký</button>
</form>
<p>Đã có tài khoản? <a href="${paths.signIn}">Đăng nhập</a></p>`,
  );
}

export function signOutPage(d: FormState, shell: Shell): string {
  return page(
    shell,
    'Đăng xuất',
    html`<h1>Đăng xuất</h1>
<form class="form" method="post" action="${paths.signOut}">
${csrfInput(d)}
<p>Bạn muốn đăng xuất khỏi Cổng dịch vụ công trên thiết bị này?</p>
<button type="submit">Đăng xuất</button>
</form>
<p><a href="${paths.account}">Quay lại trang tài khoản</a></p>`,
  );
}

/** The same words whether or not the address has an account. */
export const RESET_SENT_VI =
  'Nếu thư điện tử này đã đăng ký tài khoản, chúng tôi đã gửi một liên kết đặt lại mật khẩu đến hộp thư. Liên kết chỉ dùng được một lần và có thời hạn.';

export function forgotPage(d: FormState & { sent?: boolean }, shell: Shell): string {
  return page(
    shell,
    'Quên mật khẩu',
    html`<h1>Quên mật khẩu</h1>
${d.sent ? html`<div class="notice" role="status"><p>${RESET_SENT_VI}</p></div>` : ''}
<p>Nhập thư điện tử của tài khoản. Chúng tôi gửi liên kết để đặt mật khẩu mới.</p>
${formError(d)}
<form class="form" method="post" action="${paths.forgot}" novalidate>
${csrfInput(d)}
${field(d, 'email', 'Thư điện tử', { type: 'email', required: true, maxlength: 254, autocomplete: 'email' })}
<button type="submit">Gửi liên kết</button>
</form>
<p><a href="${paths.signIn}">Quay lại đăng nhập</a></p>`,
  );
}

export function resetPage(d: FormState & { token: string }, shell: Shell): string {
  return page(
    shell,
    'Đặt lại mật khẩu',
    html`<h1>Đặt lại mật khẩu</h1>
${formError(d)}
<form class="form" method="post" action="${paths.reset}" novalidate>
${csrfInput(d)}
<input type="hidden" name="token" value="${d.token}">
${field(d, 'newPassword', 'Mật khẩu mới', {
  type: 'password',
  required: true,
  maxlength: 200,
  autocomplete: 'new-password',
  hint: 'Ít nhất 10 ký tự, có chữ cái và chữ số.',
})}
${field(d, 'confirm', 'Nhập lại mật khẩu mới', { type: 'password', required: true, maxlength: 200, autocomplete: 'new-password' })}
<button type="submit">Đặt mật khẩu mới</button>
</form>
<p><a href="${paths.forgot}">Gửi lại liên kết</a></p>`,
  );
}

export function profilePage(
  d: FormState & {
    profile: CitizenProfile;
    saved?: boolean;
    /** The address that links a VNeID (OIDC) identity; absent when not configured. */
    oidcLinkHref?: string | undefined;
    /** A message about notification preferences or identities (saved, linked, unlinked). */
    notice?: string | undefined;
  },
  shell: Shell,
): string {
  const p = d.profile;
  const f: FormState = {
    ...d,
    values: d.values ?? {
      fullName: p.fullName,
      email: p.email ?? '',
      phone: p.phone ?? '',
      idNo: p.idNo ?? '',
      address: p.address ?? '',
    },
  };
  return page(
    shell,
    'Tài khoản',
    html`<h1>Tài khoản của ${p.fullName}</h1>
${d.saved ? html`<div class="notice" role="status"><p>Đã lưu thông tin cá nhân.</p></div>` : ''}
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
<p><a href="${paths.notices}">Thông báo</a> · <a href="${paths.store}">Kho dữ liệu của tôi</a> · <a href="${paths.signOut}">Đăng xuất</a></p>
<dl class="facts">
<div><dt>Ngày tạo tài khoản</dt><dd>${viDate(p.createdAt)}</dd></div>
<div><dt>Đăng nhập bằng</dt><dd>${[p.hasPassword ? 'mật khẩu' : '', p.identities.length ? 'VNeID' : ''].filter(Boolean).join(', ')}</dd></div>
</dl>
<h2>Thông tin cá nhân</h2>
${formError(f)}
<form class="form" method="post" action="${paths.account}" novalidate>
${csrfInput(f)}
${field(f, 'fullName', 'Họ và tên', { required: true, maxlength: 200, autocomplete: 'name' })}
${field(f, 'idNo', 'Số CCCD', { maxlength: 12, inputmode: 'numeric', hint: '12 chữ số. Cần để xem kho dữ liệu.' })}
${field(f, 'address', 'Địa chỉ', { maxlength: 500, autocomplete: 'street-address' })}
${field(f, 'phone', 'Số điện thoại', { type: 'tel', maxlength: 20, autocomplete: 'tel', inputmode: 'tel' })}
${field(f, 'email', 'Thư điện tử', { type: 'email', maxlength: 254, autocomplete: 'email' })}
<button type="submit">Lưu thông tin</button>
</form>
<h2>Nhận thông báo về hồ sơ</h2>
<form class="form" method="post" action="${paths.account}/thong-bao">
${csrfInput(f)}
<fieldset>
<legend>Ngoài mục Thông báo trên Cổng, gửi thêm qua:</legend>
<div class="check"><input type="checkbox" id="notifyEmail" name="notifyEmail" value="1"${p.notifyEmail ? html` checked` : ''}><label for="notifyEmail">Nhận thông báo bằng thư${p.email ? html` (${p.email})` : ''}</label></div>
<div class="check"><input type="checkbox" id="notifySms" name="notifySms" value="1"${p.notifySms ? html` checked` : ''}><label for="notifySms">Nhận thông báo bằng tin nhắn SMS${p.phone ? html` (${p.phone})` : ''}</label></div>
</fieldset>
<button type="submit">Lưu cách nhận thông báo</button>
</form>
<h2>Tài khoản định danh điện tử (VNeID)</h2>
${
  p.identities.length
    ? html`<ul class="results">
${p.identities.map(
  (i) => html`<li><p>Đã liên kết với ${i.issuer} từ ${viDate(i.linkedAt)}.</p>
${
  p.hasPassword
    ? html`<form class="inline-form" method="post" action="${paths.account}/bo-lien-ket">
${csrfInput(f)}<input type="hidden" name="issuer" value="${i.issuer}">
<button type="submit">Bỏ liên kết<span class="sr-only"> với ${i.issuer}</span></button>
</form>`
    : html`<p class="hint">Tài khoản chưa có mật khẩu nên không bỏ liên kết được (cần một cách đăng nhập).</p>`
}
</li>`,
)}
</ul>`
    : html`<p>Chưa liên kết tài khoản định danh điện tử.</p>`
}
${d.oidcLinkHref ? html`<p><a class="button" href="${d.oidcLinkHref}">Liên kết tài khoản VNeID</a></p>` : ''}`,
  );
}

const KIND_VI: Record<CitizenStoreItem['kind'], string> = {
  component: 'Giấy tờ đã nộp',
  result: 'Kết quả giải quyết',
};

/** The data store; `items` null when the profile has no CCCD yet. */
export function storePage(
  d: { items: CitizenStoreItem[] | null; fileHref: (id: string) => string },
  shell: Shell,
): string {
  let body: Html;
  if (d.items === null)
    body = html`<div class="alert" role="alert"><p>Cần khai báo số CCCD trong <a href="${paths.account}">thông tin cá nhân</a> để xem kho dữ liệu.</p></div>`;
  else if (d.items.length === 0)
    body = html`<p>Kho dữ liệu chưa có giấy tờ nào. Giấy tờ đã nộp và kết quả giải quyết hồ sơ sẽ được lưu tại đây.</p>`;
  else
    body = html`<ul class="results">
${d.items.map(
  (i) => html`<li>
<h2><a href="${d.fileHref(i.id)}">${i.name}</a></h2>
<p class="meta">${KIND_VI[i.kind]}${i.sourceDossierCode ? html` · hồ sơ ${i.sourceDossierCode}` : ''} · lưu ngày ${viDate(i.createdAt)}${
    i.validUntil ? html` · còn hiệu lực đến ${viDate(i.validUntil)}` : ''
  }</p>
</li>`,
)}
</ul>`;
  return page(
    shell,
    'Kho dữ liệu',
    html`<h1>Kho dữ liệu của tôi</h1>
<p>Giấy tờ đã số hóa và kết quả giải quyết trước đây, dùng lại khi nộp hồ sơ mới.</p>
${body}
<p><a href="${paths.account}">Quay lại trang tài khoản</a></p>`,
  );
}
