import type { CitizenNotification } from '@congvu/contracts';
import { html } from '../html.ts';
import { dataLang, fill, formatDateTime, t, viSpan } from '../i18n.ts';
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
  const lang = shell.lang;
  const s = t(lang);
  const vi = dataLang(lang);
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${d.csrf}">`;
  const list =
    d.items.length === 0
      ? html`<p>${s['notices.empty']}</p>`
      : html`<ul class="results">
${d.items.map(
  (n) => html`<li${n.readAt ? '' : html` class="unread"`}>
<h2>${n.readAt ? '' : html`<span class="tag">${s['notices.unreadTag']}</span> `}<a href="${localHref(n.link)}"${vi}>${n.title}</a></h2>
<p${vi}>${n.body}</p>
<p class="meta">${formatDateTime(n.createdAt)}</p>
${
  n.readAt
    ? ''
    : html`<form class="inline-form" method="post" action="${paths.notices}/${n.id}/da-doc">
${csrf}<button type="submit">${s['notices.markRead']}<span class="sr-only">: ${viSpan(lang, n.title)}</span></button>
</form>`
}
</li>`,
)}
</ul>`;
  return layout({
    ...shell,
    title: s['nav.notices'],
    section: 'notices',
    noindex: true,
    body: html`<h1>${s['nav.notices']}</h1>
${
  d.done
    ? html`<div class="notice" role="status"><p>${d.done === 'all' ? s['notices.doneAll'] : s['notices.doneOne']}</p></div>`
    : ''
}
<p>${d.unread > 0 ? fill(s['notices.unread'], { n: d.unread }) : s['notices.noUnread']} <a href="${paths.account}">${s['notices.settings']}</a></p>
${
  d.unread > 0
    ? html`<form method="post" action="${paths.notices}/da-doc-het">
${csrf}<button type="submit">${s['notices.markAll']}</button>
</form>`
    : ''
}
${list}`,
  });
}
