import type { CitizenNotification } from '@congvu/contracts';
import { viDateTime } from '../format.ts';
import { html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';
import { CSRF_FIELD } from './account.ts';

export interface NoticesInput {
  csrf: string;
  items: CitizenNotification[];
  unread: number;
  /** Set after "mark read": says what was done. */
  done?: 'one' | 'all' | undefined;
}

/** The path (and query) of a stored absolute link, so the centre works on any host name. */
export function localHref(link: string): string {
  try {
    const u = new URL(link);
    return `${u.pathname}${u.search}`;
  } catch {
    return paths.home;
  }
}

/** The notification centre: newest first, unread marked, each with its dossier link and "mark read". */
export function noticesPage(d: NoticesInput, shell: Shell): string {
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${d.csrf}">`;
  const list =
    d.items.length === 0
      ? html`<p>Chưa có thông báo nào. Khi hồ sơ của Ông/Bà có thay đổi, thông báo sẽ hiện ở đây.</p>`
      : html`<ul class="results">
${d.items.map(
  (n) => html`<li${n.readAt ? '' : html` class="unread"`}>
<h2>${n.readAt ? '' : html`<span class="tag">Chưa đọc</span> `}<a href="${localHref(n.link)}">${n.title}</a></h2>
<p>${n.body}</p>
<p class="meta">${viDateTime(n.createdAt)}</p>
${
  n.readAt
    ? ''
    : html`<form class="inline-form" method="post" action="${paths.notices}/${n.id}/da-doc">
${csrf}<button type="submit">Đánh dấu đã đọc<span class="sr-only">: ${n.title}</span></button>
</form>`
}
</li>`,
)}
</ul>`;
  return layout({
    ...shell,
    title: 'Thông báo',
    section: 'notices',
    noindex: true,
    body: html`<h1>Thông báo</h1>
${
  d.done
    ? html`<div class="notice" role="status"><p>${d.done === 'all' ? 'Đã đánh dấu tất cả là đã đọc.' : 'Đã đánh dấu thông báo là đã đọc.'}</p></div>`
    : ''
}
<p>${d.unread > 0 ? html`Ông/Bà có ${d.unread} thông báo chưa đọc.` : 'Không có thông báo chưa đọc.'} <a href="${paths.account}">Chọn cách nhận thông báo (thư điện tử, SMS)</a></p>
${
  d.unread > 0
    ? html`<form method="post" action="${paths.notices}/da-doc-het">
${csrf}<button type="submit">Đánh dấu tất cả đã đọc</button>
</form>`
    : ''
}
${list}`,
  });
}
