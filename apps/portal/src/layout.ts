import { type Html, html } from './html.ts';

/** Where the portal lives; the staff app keeps `/`. */
export const BASE = '/cong-dich-vu';
export const paths = {
  home: `${BASE}/`,
  catalogue: `${BASE}/thu-tuc`,
  procedure: (code: string) => `${BASE}/thu-tuc/${encodeURIComponent(code)}`,
  submit: (code: string) => `${BASE}/nop-truc-tuyen/${encodeURIComponent(code)}`,
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

export type Section = 'home' | 'catalogue' | 'lookup' | 'stats' | 'account' | 'mine' | 'other';

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
<li><a href="${paths.mine}"${p.section === 'mine' ? html` aria-current="page"` : ''}>Hồ sơ của tôi</a></li>
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
