import { type Html, html, raw } from './html.ts';
import { fill, type Lang, type MessageKey, t } from './i18n.ts';

/** Where the portal lives; the staff app keeps `/`. */
export const BASE = '/cong-dich-vu';
export const paths = {
  home: `${BASE}/`,
  catalogue: `${BASE}/thu-tuc`,
  procedure: (code: string) => `${BASE}/thu-tuc/${encodeURIComponent(code)}`,
  submit: (code: string) => `${BASE}/nop-truc-tuyen/${encodeURIComponent(code)}`,
  draft: (id: string) => `${BASE}/nop-truc-tuyen/ho-so-nhap/${id}`,
  draftPapers: (id: string) => `${BASE}/nop-truc-tuyen/ho-so-nhap/${id}/giay-to`,
  draftPaper: (id: string, specId: string) => `${BASE}/nop-truc-tuyen/ho-so-nhap/${id}/giay-to/${specId}`,
  draftReview: (id: string) => `${BASE}/nop-truc-tuyen/ho-so-nhap/${id}/xem-lai`,
  draftSubmit: (id: string) => `${BASE}/nop-truc-tuyen/ho-so-nhap/${id}/nop`,
  submitted: (code: string) => `${BASE}/nop-truc-tuyen/da-nop/${encodeURIComponent(code)}`,
  receipt: (code: string) => `${BASE}/nop-truc-tuyen/da-nop/${encodeURIComponent(code)}/bien-nhan.pdf`,
  form: (sha256: string) => `${BASE}/bieu-mau/${sha256}`,
  lookup: `${BASE}/tra-cuu`,
  stats: `${BASE}/thong-ke`,
  signIn: `${BASE}/dang-nhap`,
  signUp: `${BASE}/dang-ky`,
  signOut: `${BASE}/dang-xuat`,
  forgot: `${BASE}/quen-mat-khau`,
  reset: `${BASE}/dat-lai-mat-khau`,
  account: `${BASE}/tai-khoan`,
  store: `${BASE}/kho-du-lieu`,
  /** The language switch: sets the cookie, then back to `tiep` (a portal path). */
  language: (lang: Lang, back?: string) =>
    `${BASE}/ngon-ngu?lang=${lang}${back ? `&tiep=${encodeURIComponent(back)}` : ''}`,
  notices: `${BASE}/thong-bao`,
  mine: `${BASE}/ho-so-cua-toi`,
  mineDossier: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}`,
  mineSupplement: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/bo-sung`,
  mineWithdraw: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/rut`,
  minePay: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/thanh-toan`,
  minePost: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/buu-chinh`,
  mineRate: (code: string) => `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/danh-gia`,
  mineResult: (code: string, resultId: string) =>
    `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/ket-qua/${encodeURIComponent(resultId)}`,
  mineReceipt: (code: string, txnRef: string) =>
    `${BASE}/ho-so-cua-toi/${encodeURIComponent(code)}/bien-nhan/${encodeURIComponent(txnRef)}`,
  paymentResult: `${BASE}/thanh-toan/ket-qua`,
};

export type Section = 'home' | 'catalogue' | 'lookup' | 'stats' | 'account' | 'notices' | 'mine' | 'other';

export interface LayoutInput {
  title: string;
  description?: string;
  section: Section;
  body: Html;
  /**
   * The stylesheet's text, inlined in a `<style>` element so that a first visit renders after one
   * round trip; the server allows exactly these bytes by their hash in its CSP (portalCss().cspSource).
   */
  css: string;
  /** Province name shown in the header. */
  siteName?: string;
  /** Search engines should not index this page (lookup results, errors). */
  noindex?: boolean;
  /** The signed-in citizen (header: name, account, sign out); absent: a "Đăng nhập" link. */
  citizen?: { fullName: string; unread?: number } | null | undefined;
  /** The page's language (`<html lang>`, the dictionary); Vietnamese when absent. */
  lang?: Lang | undefined;
  /** This page's address (path and query), where the language switch comes back to. */
  path?: string | undefined;
}

/** What every page gets from the server besides its data. */
export type Shell = Pick<LayoutInput, 'css' | 'siteName' | 'citizen' | 'lang' | 'path'>;

function who(p: LayoutInput) {
  const s = t(p.lang);
  if (!p.citizen)
    return html`<li><a href="${paths.signIn}"${p.section === 'account' ? html` aria-current="page"` : ''}>${s['nav.signIn']}</a></li>`;
  const unread = p.citizen.unread ?? 0;
  return html`<li class="who">${p.citizen.fullName}</li>
<li><a href="${paths.mine}"${p.section === 'mine' ? html` aria-current="page"` : ''}>${s['nav.mine']}</a></li>
<li><a href="${paths.notices}"${p.section === 'notices' ? html` aria-current="page"` : ''}>${s['nav.notices']}${
    unread > 0 ? html` <span class="count">(${fill(s['nav.unread'], { n: unread })})</span>` : ''
  }</a></li>
<li><a href="${paths.account}"${p.section === 'account' ? html` aria-current="page"` : ''}>${s['nav.account']}</a></li>
<li><a href="${paths.signOut}">${s['nav.signOut']}</a></li>`;
}

const NAV: Array<[Section, string, MessageKey]> = [
  ['home', paths.home, 'nav.home'],
  ['catalogue', paths.catalogue, 'nav.catalogue'],
  ['lookup', paths.lookup, 'nav.lookup'],
  ['stats', paths.stats, 'nav.stats'],
];

/** The link to the other language, in that language (its own lang and hreflang). */
function languageSwitch(p: LayoutInput) {
  const other: Lang = p.lang === 'en' ? 'vi' : 'en';
  return html`<li class="lang"><a href="${paths.language(other, p.path)}" hreflang="${other}" lang="${other}">${t(p.lang)['layout.switch']}</a></li>`;
}

/** The page shell: lang (vi unless English was chosen), skip link, header with navigation, main, footer. No script. */
export function layout(p: LayoutInput): string {
  const s = t(p.lang);
  const site = p.siteName ?? s['site.name'];
  return `<!doctype html>${html`<html lang="${p.lang ?? 'vi'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} — ${site}</title>
${p.description ? html`<meta name="description" content="${p.description}">` : ''}
${p.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="icon" href="data:,">
<style>${raw(p.css)}</style>
</head>
<body>
<a class="skip" href="#noi-dung">${s['layout.skip']}</a>
<header class="top">
<div class="wrap">
<a class="brand" href="${paths.home}">${site}</a>
<nav aria-label="${s['layout.nav']}">
<ul class="menu">
${NAV.map(
  ([section, href, label]) =>
    html`<li><a href="${href}"${section === p.section ? html` aria-current="page"` : ''}>${s[label]}</a></li>`,
)}
${who(p)}
${languageSwitch(p)}
</ul>
</nav>
</div>
</header>
<main id="noi-dung" class="wrap" tabindex="-1">
${p.body}
</main>
<footer class="bottom">
<div class="wrap">
<p>${fill(s['layout.footer'], { site })}</p>
<p><a href="/">${s['layout.staff']}</a></p>
</div>
</footer>
</body>
</html>`}`;
}
