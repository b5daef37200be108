import { type Html, html } from './html.ts';

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
  css: `${BASE}/portal.css`,
  signIn: `${BASE}/dang-nhap`,
  signUp: `${BASE}/dang-ky`,
  signOut: `${BASE}/dang-xuat`,
  forgot: `${BASE}/quen-mat-khau`,
  reset: `${BASE}/dat-lai-mat-khau`,
  account: `${BASE}/tai-khoan`,
  store: `${BASE}/kho-du-lieu`,
};

export type Section = 'home' | 'catalogue' | 'lookup' | 'stats' | 'account' | 'other';

export interface LayoutInput {
  title: string;
  description?: string;
  section: Section;
  body: Html;
  /** The stylesheet link, with a version so it can be cached for long. */
  cssHref: string;
  /** Province name shown in the header. */
  siteName?: string;
  /** Search engines should not index this page (lookup results, errors). */
  noindex?: boolean;
  /** The signed-in citizen (header: name, account, sign out); absent: a "Đăng nhập" link. */
  citizen?: { fullName: string } | null | undefined;
}

/** What every page gets from the server besides its data. */
export type Shell = Pick<LayoutInput, 'cssHref' | 'siteName' | 'citizen'>;

function who(p: LayoutInput) {
  if (!p.citizen)
    return html`<li><a href="${paths.signIn}"${p.section === 'account' ? html` aria-current="page"` : ''}>Đăng nhập</a></li>`;
  return html`<li class="who">${p.citizen.fullName}</li>
<li><a href="${paths.account}"${p.section === 'account' ? html` aria-current="page"` : ''}>Tài khoản</a></li>
<li><a href="${paths.signOut}">Đăng xuất</a></li>`;
}

const NAV: Array<[Section, string, string]> = [
  ['home', paths.home, 'Trang chủ'],
  ['catalogue', paths.catalogue, 'Thủ tục hành chính'],
  ['lookup', paths.lookup, 'Tra cứu hồ sơ'],
  ['stats', paths.stats, 'Thống kê'],
];

/** The page shell: lang="vi", skip link, header with navigation, main, footer. No script. */
export function layout(p: LayoutInput): string {
  const site = p.siteName ?? 'Cổng dịch vụ công';
  return `<!doctype html>${html`<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} — ${site}</title>
${p.description ? html`<meta name="description" content="${p.description}">` : ''}
${p.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="stylesheet" href="${p.cssHref}">
</head>
<body>
<a class="skip" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
<header class="top">
<div class="wrap">
<a class="brand" href="${paths.home}">${site}</a>
<nav aria-label="Điều hướng chính">
<ul class="menu">
${NAV.map(
  ([s, href, label]) =>
    html`<li><a href="${href}"${s === p.section ? html` aria-current="page"` : ''}>${label}</a></li>`,
)}
${who(p)}
</ul>
</nav>
</div>
</header>
<main id="noi-dung" class="wrap" tabindex="-1">
${p.body}
</main>
<footer class="bottom">
<div class="wrap">
<p>${site} — hệ thống CongVu. Trang dùng được không cần JavaScript.</p>
<p><a href="/">Cán bộ, công chức đăng nhập hệ thống điều hành</a></p>
</div>
</footer>
</body>
</html>`}`;
}
