import { describe, expect, it } from 'vitest';
import { nfc, normalizeToneMarks } from './index.ts';

describe('nfc', () => {
  it('composes decomposed Vietnamese (macOS / converter output)', () => {
    const decomposed = 'Ho\u0300a Bi\u0300nh, Đa\u0306\u0301k La\u0306\u0301k, Nguye\u0302\u0303n';
    expect(nfc(decomposed)).toBe('Hòa Bình, Đắk Lắk, Nguyễn');
    expect(nfc(decomposed).length).toBeLessThan(decomposed.length);
  });

  it('accepts marks in non-canonical order and deprecated tone marks', () => {
    expect(nfc('e\u0302\u0323')).toBe('ệ');
    expect(nfc('e\u0323\u0302')).toBe('ệ');
    expect(nfc('a\u0341')).toBe('á'); // U+0341 COMBINING ACUTE TONE MARK
    expect(nfc('â\u0301')).toBe('ấ'); // precomposed vowel + combining tone
  });

  it('leaves NFC text alone', () => {
    expect(nfc('Ủy ban nhân dân')).toBe('Ủy ban nhân dân');
  });
});

describe('normalizeToneMarks', () => {
  const pairs: Array<[string, string]> = [
    ['hoà', 'hòa'],
    ['thuý', 'thúy'],
    ['khoẻ', 'khỏe'],
    ['uỷ', 'ủy'],
    ['loà', 'lòa'],
    ['hoạ', 'họa'],
    ['xoè', 'xòe'],
    ['luỹ', 'lũy'],
  ];

  it.each(pairs)('%s and %s normalise to the same string (old style by default)', (newForm, oldForm) => {
    expect(normalizeToneMarks(newForm)).toBe(oldForm);
    expect(normalizeToneMarks(oldForm)).toBe(oldForm);
    expect(normalizeToneMarks(newForm, 'old')).toBe(oldForm);
  });

  it.each(pairs)("'new' style puts the mark on the second vowel: %s", (newForm, oldForm) => {
    expect(normalizeToneMarks(oldForm, 'new')).toBe(newForm);
    expect(normalizeToneMarks(newForm, 'new')).toBe(newForm);
  });

  it('keeps case letter by letter', () => {
    expect(normalizeToneMarks('Hoà Bình')).toBe('Hòa Bình');
    expect(normalizeToneMarks('HOÀ BÌNH')).toBe('HÒA BÌNH');
    expect(normalizeToneMarks('UỶ BAN')).toBe('ỦY BAN');
    expect(normalizeToneMarks('Uỷ ban')).toBe('Ủy ban');
    expect(normalizeToneMarks('Ủy ban', 'new')).toBe('Uỷ ban');
  });

  it('treats qu and gi as onsets', () => {
    expect(normalizeToneMarks('QUÝ')).toBe('QUÝ');
    expect(normalizeToneMarks('quý')).toBe('quý');
    expect(normalizeToneMarks('quý', 'new')).toBe('quý');
    expect(normalizeToneMarks('qúy')).toBe('quý');
    expect(normalizeToneMarks('Qúa')).toBe('Quá');
    expect(normalizeToneMarks('quỳnh')).toBe('quỳnh');
    expect(normalizeToneMarks('giữ')).toBe('giữ');
    expect(normalizeToneMarks('gìa')).toBe('già');
    expect(normalizeToneMarks('giúp')).toBe('giúp');
    expect(normalizeToneMarks('gì')).toBe('gì');
    expect(normalizeToneMarks('gìn giữ')).toBe('gìn giữ');
  });

  it('leaves words with a final consonant or a marked vowel as they are', () => {
    for (const w of [
      'hoàng',
      'tuyết',
      'thuyền',
      'quyết',
      'huỳnh',
      'toán',
      'hoạch',
      'người',
      'thuở',
      'tuần',
      'xoắn',
      'khuỷu',
      'ngoài',
      'xoáy',
      'mía',
      'múa',
      'Đắk Lắk',
    ]) {
      expect(normalizeToneMarks(w)).toBe(w);
      expect(normalizeToneMarks(w, 'new')).toBe(w);
    }
  });

  it('fixes marks placed on the wrong vowel of fixed syllables', () => {
    expect(normalizeToneMarks('hòang')).toBe('hoàng');
    expect(normalizeToneMarks('thúyêt')).toBe('thuyết');
    expect(normalizeToneMarks('thúyết')).toBe('thúyết'); // two tone marks: not a syllable, untouched
    expect(normalizeToneMarks('ngừoi')).toBe('ngừoi'); // "ưo" is not a Vietnamese spelling: untouched
    expect(normalizeToneMarks('ngươì')).toBe('người');
    expect(normalizeToneMarks('mìa')).toBe('mìa');
    expect(normalizeToneMarks('mià')).toBe('mìa');
  });

  it('accepts decomposed input and returns NFC', () => {
    expect(normalizeToneMarks('hoa\u0300')).toBe('hòa');
    expect(normalizeToneMarks('thuy\u0301')).toBe('thúy');
    expect(normalizeToneMarks('U\u0309y ban', 'old')).toBe('Ủy ban');
    expect(normalizeToneMarks('Ho\u0300a Bi\u0300nh')).toBe('Hòa Bình');
  });

  it('keeps punctuation, digits and spacing', () => {
    expect(normalizeToneMarks('  Hoà Bình,\tthuý-khoẻ!\n(uỷ) 2024 ')).toBe(
      '  Hòa Bình,\tthúy-khỏe!\n(ủy) 2024 ',
    );
    expect(normalizeToneMarks('Quyết định số 12/QĐ-UBND tỉnh Hoà Bình')).toBe(
      'Quyết định số 12/QĐ-UBND tỉnh Hòa Bình',
    );
  });

  it('leaves non-Vietnamese words untouched', () => {
    for (const w of [
      'café',
      'naïve',
      'José',
      'Zoë',
      'résumé',
      'Chloé',
      'façade',
      'Москва́',
      '東京',
      'e-mail',
    ]) {
      expect(normalizeToneMarks(w)).toBe(w);
      expect(normalizeToneMarks(w, 'new')).toBe(w);
    }
  });
});
