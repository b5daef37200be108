import { describe, expect, it } from 'vitest';
import { compileSearch, matchesSearch, searchKey, tokens } from './index.ts';

describe('searchKey', () => {
  it('strips tones, vowel marks and case', () => {
    expect(searchKey('Ủy ban Nhân dân tỉnh Đắk Lắk')).toBe('uy ban nhan dan tinh dak lak');
    expect(searchKey('Nguyễn Thị Ngọc Ánh')).toBe('nguyen thi ngoc anh');
    expect(searchKey('ă â ê ô ơ ư Ă Â Ê Ô Ơ Ư')).toBe('a a e o o u a a e o o u');
    expect(searchKey('ặ ẫ ệ ổ ợ ừ ỹ')).toBe('a a e o o u y');
  });

  it('maps đ and Đ to d', () => {
    expect(searchKey('đường')).toBe('duong');
    expect(searchKey('ĐƯỜNG ĐỒNG KHỞI')).toBe('duong dong khoi');
    expect(searchKey('Đà Nẵng')).toBe('da nang');
    expect(searchKey('Ðà Nẵng')).toBe('da nang'); // U+00D0 (eth) mis-encoded for Đ
  });

  it('gives the same key for every spelling of the same text', () => {
    const k = searchKey('Hòa Bình');
    expect(searchKey('Hoà Bình')).toBe(k);
    expect(searchKey('Ho\u0300a Bi\u0300nh')).toBe(k);
    expect(searchKey('HOÀ BÌNH')).toBe(k);
    expect(searchKey('hoa binh')).toBe(k);
  });

  it('collapses whitespace, trims and drops invisible characters', () => {
    expect(searchKey('  Sở \t Nội\u00a0vụ \n')).toBe('so noi vu');
    expect(searchKey('Hà\u200bNội')).toBe('hanoi');
    expect(searchKey('Giám\u00addốc')).toBe('giamdoc');
    expect(searchKey('')).toBe('');
    expect(searchKey('   ')).toBe('');
  });

  it('keeps punctuation and digits', () => {
    expect(searchKey('Số 123/QĐ-UBND')).toBe('so 123/qd-ubnd');
  });
});

describe('tokens', () => {
  it('splits on spaces and punctuation', () => {
    expect(tokens('Số 123/QĐ-UBND, ngày 05/3/2025')).toEqual([
      'so',
      '123',
      'qd',
      'ubnd',
      'ngay',
      '05',
      '3',
      '2025',
    ]);
    expect(tokens('  ')).toEqual([]);
    expect(tokens("H'Hen Niê")).toEqual(['h', 'hen', 'nie']);
  });
});

describe('matchesSearch', () => {
  it('matches word prefixes regardless of diacritics, case and order', () => {
    expect(matchesSearch('Nguyễn Văn An', 'van an')).toBe(true);
    expect(matchesSearch('Nguyễn Văn An', 'NGUYEN')).toBe(true);
    expect(matchesSearch('Nguyễn Văn An', 'an nguy')).toBe(true);
    expect(matchesSearch('Nguyễn Văn An', 'Văn')).toBe(true);
    expect(matchesSearch('Ủy ban nhân dân tỉnh Đắk Lắk', 'ubnd')).toBe(false);
    expect(matchesSearch('Ủy ban nhân dân tỉnh Đắk Lắk', 'dak lak')).toBe(true);
    expect(matchesSearch('Ủy ban nhân dân tỉnh Đắk Lắk', 'đăk')).toBe(true);
  });

  it('does not match inside words', () => {
    expect(matchesSearch('Lan', 'an')).toBe(false);
    expect(matchesSearch('Nguyễn Văn An', 'guyen')).toBe(false);
  });

  it('requires every query word', () => {
    expect(matchesSearch('Nguyễn Văn An', 'van binh')).toBe(false);
  });

  it('lets a query word run across words typed without spaces', () => {
    expect(matchesSearch('Thành phố Hà Nội', 'hanoi')).toBe(true);
    expect(matchesSearch('Thành phố Hà Nội', 'thanhpho ha')).toBe(true);
    expect(matchesSearch('Thành phố Hà Nội', 'phoha')).toBe(true);
    expect(matchesSearch('Thành phố Hà Nội', 'hanoii')).toBe(false);
  });

  it('matches document numbers by their parts', () => {
    expect(matchesSearch('Quyết định 123/QĐ-UBND', '123/qđ')).toBe(true);
    expect(matchesSearch('Quyết định 123/QĐ-UBND', 'qd-ubnd')).toBe(true);
    expect(matchesSearch('Quyết định 1234/QĐ-UBND', '123/qđ')).toBe(true);
  });

  it('an empty query matches everything', () => {
    expect(matchesSearch('anything', '')).toBe(true);
    expect(matchesSearch('', '  ')).toBe(true);
    expect(matchesSearch('', 'a')).toBe(false);
  });

  it('compileSearch filters lists with the same rules', () => {
    const match = compileSearch('hoa binh');
    expect(['Hòa Bình', 'Hoà Bình', 'Bình Hòa', 'Hòa An', 'Thái Bình'].filter(match)).toEqual([
      'Hòa Bình',
      'Hoà Bình',
      'Bình Hòa',
    ]);
  });
});
