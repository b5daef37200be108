import { html } from '../html.ts';
import { t } from '../i18n.ts';
import { layout, paths, type Shell } from '../layout.ts';

/** A plain error page (not found, bad request, too many requests, server error). */
export function errorPage(e: { status: number; title: string; message: string }, shell: Shell): string {
  const s = t(shell.lang);
  return layout({
    ...shell,
    title: e.title,
    section: 'other',
    noindex: true,
    body: html`<h1>${e.title}</h1>
<p>${e.message}</p>
<p><a href="${paths.home}">${s['error.home']}</a> · <a href="${paths.catalogue}">${s['error.find']}</a></p>`,
  });
}
