import { html } from '../html.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** A plain error page (not found, bad request, too many requests, server error). */
export function errorPage(e: { status: number; title: string; message: string }, shell: Shell): string {
  return layout({
    ...shell,
    title: e.title,
    section: 'other',
    noindex: true,
    body: html`<h1>${e.title}</h1>
<p>${e.message}</p>
<p><a href="${paths.home}">Về trang chủ</a> · <a href="${paths.catalogue}">Tìm thủ tục</a></p>`,
  });
}
