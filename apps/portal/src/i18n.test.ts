import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
import {
  dataLang,
  fill,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  LANGS,
  langOf,
  maybe,
  t,
} from './i18n.ts';
import { layout } from './layout.ts';

describe('portal dictionaries', () => {
  it('every key has a non-empty text in both languages, with the same placeholders', () => {
    const vi = t('vi');
    const en = t('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      for (const lang of LANGS) expect(t(lang)[key].trim(), `${lang} ${key}`).not.toBe('');
      expect(holes(en[key]), key).toEqual(holes(vi[key]));
    }
  });

  it('English differs from Vietnamese (no key left untranslated by copying)', () => {
    const vi = t('vi');
    const en = t('en');
    // Codes and proper names may coincide; nothing else should.
    const same = (Object.keys(vi) as (keyof typeof vi)[]).filter((k) => vi[k] === en[k]);
    expect(same).toEqual([]);
  });

  it('the language comes from the cookie value; anything but "en" is Vietnamese', () => {
    expect(langOf('en')).toBe('en');
    for (const v of ['vi', 'EN', 'fr', '', undefined, null]) expect(langOf(v)).toBe('vi');
    expect(t(undefined)).toBe(t('vi'));
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(fill('Trang {page}/{pages}', { page: 2, pages: 5 })).toBe('Trang 2/5');
    expect(fill('{a} {b}', { a: 1 })).toBe('1 {b}');
    expect(maybe(t('en'), 'channel.2')).toBe('Online');
    expect(maybe(t('en'), 'channel.9')).toBeUndefined();
  });
});

describe('formats', () => {
  it('money: 1.000.000 đ in Vietnamese, 1,000,000 VND in English', () => {
    expect(formatMoney(1_000_000, 'vi')).toBe('1.000.000 đ');
    expect(formatMoney(1_000_000, 'en')).toBe('1,000,000 VND');
    expect(formatMoney(8000)).toBe('8.000 đ');
    expect(formatMoney(0, 'en')).toBe('0 VND');
  });

  it('numbers and percentages follow the language', () => {
    expect(formatNumber(1234.5, 'vi', 1)).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatPercent(0.125, 'vi')).toBe('12,5%');
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(formatPercent(null, 'en')).toBe('—');
  });

  it('dates are dd/MM/yyyy in both languages, in Việt Nam time', () => {
    expect(formatDate('2026-03-09')).toBe('09/03/2026');
    // 18:30 UTC on the 8th is 01:30 on the 9th in Hà Nội.
    expect(formatDate('2026-03-08T18:30:00Z')).toBe('09/03/2026');
    expect(formatDateTime('2026-03-08T18:30:00Z')).toBe('01:30 09/03/2026');
  });
});

describe('layout in English', () => {
  const page = (lang: 'vi' | 'en') =>
    layout({
      title: 'x',
      section: 'home',
      css: 'p{}',
      body: html`<p>b</p>`,
      lang,
      path: '/cong-dich-vu/thu-tuc?q=a&b=c',
    });

  it('lang on <html>, the switch to the other language in that language, back to this page', () => {
    const en = page('en');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(
      '<a href="/cong-dich-vu/ngon-ngu?lang=vi&amp;tiep=%2Fcong-dich-vu%2Fthu-tuc%3Fq%3Da%26b%3Dc" hreflang="vi" lang="vi">Tiếng Việt</a>',
    );
    expect(en).toContain('Skip to main content');
    expect(en).not.toContain('Bỏ qua');
    const vi = page('vi');
    expect(vi).toContain('<html lang="vi">');
    expect(vi).toContain('hreflang="en" lang="en">English</a>');
  });

  it('stored Vietnamese data is marked lang="vi" only on English pages', () => {
    expect(String(dataLang('en'))).toBe(' lang="vi"');
    expect(dataLang('vi')).toBe('');
  });
});
