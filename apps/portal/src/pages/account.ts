import type { CitizenProfile, CitizenStoreItem } from '@congvu/contracts';
import { type Html, html } from '../html.ts';
import { dataLang, fill, formatDate, t } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** The name of the hidden field carrying the CSRF token in every portal form. */
export const CSRF_FIELD = '_csrf';

/** A form as shown again after an error: what was typed (never a password) and messages per field. */
export interface FormState {
  csrf: string;
  values?: Record<string, string | undefined>;
  /** Field name → message in the page's language; `_form` for the form as a whole. */
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
  const s = t(shell.lang);
  return page(
    shell,
    s['signIn.title'],
    html`<h1>${s['signIn.title']}</h1>
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
${formError(d)}
<form class="form" method="post" action="${paths.signIn}" novalidate>
${csrfInput(d)}
${d.next ? html`<input type="hidden" name="tiep" value="${d.next}">` : ''}
${field(d, 'login', s['account.login'], { required: true, maxlength: 254, autocomplete: 'username' })}
${field(d, 'password', s['account.password'], { type: 'password', required: true, maxlength: 200, autocomplete: 'current-password' })}
<button type="submit">${s['signIn.submit']}</button>
</form>
<p><a href="${paths.forgot}">${s['signIn.forgot']}</a></p>
<p>${s['signIn.noAccount']} <a href="${paths.signUp}">${s['signIn.toSignUp']}</a></p>
${
  d.oidcHref
    ? html`<h2 class="or">${s['signIn.or']}</h2>
<p><a class="button" href="${d.oidcHref}">${s['signIn.vneid']}</a></p>
<p class="hint">${s['signIn.vneidHint']}</p>`
    : ''
}`,
  );
}

export function signUpPage(d: FormState, shell: Shell): string {
  const s = t(shell.lang);
  return page(
    shell,
    s['signUp.title'],
    html`<h1>${s['signUp.title']}</h1>
<p>${s['signUp.intro']}</p>
${formError(d)}
<form class="form" method="post" action="${paths.signUp}" novalidate>
${csrfInput(d)}
${field(d, 'fullName', s['account.fullName'], { required: true, maxlength: 200, autocomplete: 'name' })}
${field(d, 'phone', s['account.phone'], { type: 'tel', maxlength: 20, autocomplete: 'tel', inputmode: 'tel' })}
${field(d, 'email', s['account.email'], { type: 'email', maxlength: 254, autocomplete: 'email' })}
${field(d, 'password', s['account.password'], {
  type: 'password',
  required: true,
  maxlength: 200,
  autocomplete: 'new-password',
  hint: s['account.passwordHint'],
})}
<button type="submit">${s['signUp.submit']}</button>
</form>
<p>${s['signUp.haveAccount']} <a href="${paths.signIn}">${s['signUp.toSignIn']}</a></p>`,
  );
}

export function signOutPage(d: FormState, shell: Shell): string {
  const s = t(shell.lang);
  return page(
    shell,
    s['signOut.title'],
    html`<h1>${s['signOut.title']}</h1>
<form class="form" method="post" action="${paths.signOut}">
${csrfInput(d)}
<p>${s['signOut.question']}</p>
<button type="submit">${s['signOut.submit']}</button>
</form>
<p><a href="${paths.account}">${s['account.back']}</a></p>`,
  );
}

/** The same words whether or not the address has an account. */
export const RESET_SENT_VI = t('vi')['forgot.sent'];

export function forgotPage(d: FormState & { sent?: boolean }, shell: Shell): string {
  const s = t(shell.lang);
  return page(
    shell,
    s['forgot.title'],
    html`<h1>${s['forgot.title']}</h1>
${d.sent ? html`<div class="notice" role="status"><p>${s['forgot.sent']}</p></div>` : ''}
<p>${s['forgot.intro']}</p>
${formError(d)}
<form class="form" method="post" action="${paths.forgot}" novalidate>
${csrfInput(d)}
${field(d, 'email', s['account.email'], { type: 'email', required: true, maxlength: 254, autocomplete: 'email' })}
<button type="submit">${s['forgot.submit']}</button>
</form>
<p><a href="${paths.signIn}">${s['forgot.back']}</a></p>`,
  );
}

export function resetPage(d: FormState & { token: string }, shell: Shell): string {
  const s = t(shell.lang);
  return page(
    shell,
    s['reset.title'],
    html`<h1>${s['reset.title']}</h1>
${formError(d)}
<form class="form" method="post" action="${paths.reset}" novalidate>
${csrfInput(d)}
<input type="hidden" name="token" value="${d.token}">
${field(d, 'newPassword', s['account.newPassword'], {
  type: 'password',
  required: true,
  maxlength: 200,
  autocomplete: 'new-password',
  hint: s['account.passwordHint'],
})}
${field(d, 'confirm', s['account.confirm'], { type: 'password', required: true, maxlength: 200, autocomplete: 'new-password' })}
<button type="submit">${s['reset.submit']}</button>
</form>
<p><a href="${paths.forgot}">${s['reset.again']}</a></p>`,
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
  const s = t(shell.lang);
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
    s['profile.title'],
    html`<h1>${fill(s['profile.h1'], { name: p.fullName })}</h1>
${d.saved ? html`<div class="notice" role="status"><p>${s['profile.saved']}</p></div>` : ''}
${d.notice ? html`<div class="notice" role="status"><p>${d.notice}</p></div>` : ''}
<p><a href="${paths.notices}">${s['nav.notices']}</a> · <a href="${paths.store}">${s['store.h1']}</a> · <a href="${paths.signOut}">${s['nav.signOut']}</a></p>
<dl class="facts">
<div><dt>${s['profile.created']}</dt><dd>${formatDate(p.createdAt)}</dd></div>
<div><dt>${s['profile.signsInWith']}</dt><dd>${[p.hasPassword ? s['profile.withPassword'] : '', p.identities.length ? 'VNeID' : ''].filter(Boolean).join(', ')}</dd></div>
</dl>
<h2>${s['profile.details']}</h2>
${formError(f)}
<form class="form" method="post" action="${paths.account}" novalidate>
${csrfInput(f)}
${field(f, 'fullName', s['account.fullName'], { required: true, maxlength: 200, autocomplete: 'name' })}
${field(f, 'idNo', s['account.idNo'], { maxlength: 12, inputmode: 'numeric', hint: s['account.idNoHint'] })}
${field(f, 'address', s['account.address'], { maxlength: 500, autocomplete: 'street-address' })}
${field(f, 'phone', s['account.phone'], { type: 'tel', maxlength: 20, autocomplete: 'tel', inputmode: 'tel' })}
${field(f, 'email', s['account.email'], { type: 'email', maxlength: 254, autocomplete: 'email' })}
<button type="submit">${s['profile.save']}</button>
</form>
<h2>${s['profile.notifyH2']}</h2>
<form class="form" method="post" action="${paths.account}/thong-bao">
${csrfInput(f)}
<fieldset>
<legend>${s['profile.notifyLegend']}</legend>
<div class="check"><input type="checkbox" id="notifyEmail" name="notifyEmail" value="1"${p.notifyEmail ? html` checked` : ''}><label for="notifyEmail">${s['profile.notifyEmail']}${p.email ? html` (${p.email})` : ''}</label></div>
<div class="check"><input type="checkbox" id="notifySms" name="notifySms" value="1"${p.notifySms ? html` checked` : ''}><label for="notifySms">${s['profile.notifySms']}${p.phone ? html` (${p.phone})` : ''}</label></div>
</fieldset>
<button type="submit">${s['profile.notifySave']}</button>
</form>
<h2>${s['profile.idH2']}</h2>
${
  p.identities.length
    ? html`<ul class="results">
${p.identities.map(
  (i) => html`<li><p>${fill(s['profile.linked'], { issuer: i.issuer, date: formatDate(i.linkedAt) })}</p>
${
  p.hasPassword
    ? html`<form class="inline-form" method="post" action="${paths.account}/bo-lien-ket">
${csrfInput(f)}<input type="hidden" name="issuer" value="${i.issuer}">
<button type="submit">${s['profile.unlink']}<span class="sr-only"> ${i.issuer}</span></button>
</form>`
    : html`<p class="hint">${s['profile.unlinkNeedsPassword']}</p>`
}
</li>`,
)}
</ul>`
    : html`<p>${s['profile.notLinked']}</p>`
}
${d.oidcLinkHref ? html`<p><a class="button" href="${d.oidcLinkHref}">${s['profile.link']}</a></p>` : ''}`,
  );
}

/** The data store; `items` null when the profile has no CCCD yet. */
export function storePage(
  d: { items: CitizenStoreItem[] | null; fileHref: (id: string) => string },
  shell: Shell,
): string {
  const s = t(shell.lang);
  let body: Html;
  if (d.items === null)
    body = html`<div class="alert" role="alert"><p>${s['store.noIdBefore']}<a href="${paths.account}">${s['store.noIdLink']}</a>${s['store.noIdAfter']}</p></div>`;
  else if (d.items.length === 0) body = html`<p>${s['store.empty']}</p>`;
  else
    body = html`<ul class="results">
${d.items.map(
  (i) => html`<li>
<h2${dataLang(shell.lang)}><a href="${d.fileHref(i.id)}">${i.name}</a></h2>
<p class="meta">${s[`store.${i.kind}`]}${i.sourceDossierCode ? html` · ${fill(s['store.dossier'], { code: i.sourceDossierCode })}` : ''} · ${fill(s['store.saved'], { date: formatDate(i.createdAt) })}${
    i.validUntil ? html` · ${fill(s['store.validUntil'], { date: formatDate(i.validUntil) })}` : ''
  }</p>
</li>`,
)}
</ul>`;
  return page(
    shell,
    s['store.title'],
    html`<h1>${s['store.h1']}</h1>
<p>${s['store.intro']}</p>
${body}
<p><a href="${paths.account}">${s['account.back']}</a></p>`,
  );
}
