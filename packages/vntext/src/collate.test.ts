import { describe, expect, it } from 'vitest';
import { compareVi, compareViNames, sortKeyVi, sortKeyViName, sortVi, sortViNames } from './index.ts';

/** Asserts that `items` is strictly increasing under `compare`, checking every pair. */
function expectStrictOrder(items: readonly string[], compare: (a: string, b: string) => number): void {
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < items.length; j++) {
      const a = items[i] as string;
      const b = items[j] as string;
      expect(Math.sign(compare(a, b)), `${a} vs ${b}`).toBe(Math.sign(i - j));
    }
  }
}

describe('compareVi: alphabet', () => {
  it('orders the 29 letters of the Vietnamese alphabet', () => {
    const alphabet = 'a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y'.split(' ');
    expectStrictOrder(alphabet, compareVi);
    expectStrictOrder(
      alphabet.map((l) => l.toUpperCase()),
      compareVi,
    );
    expect(sortVi([...alphabet].reverse())).toEqual(alphabet);
  });

  it('a < ă < â < b, d < đ < e, o < ô < ơ, u < ư', () => {
    expectStrictOrder(['a', 'ă', 'â', 'b'], compareVi);
    expectStrictOrder(['d', 'đ', 'e'], compareVi);
    expectStrictOrder(['o', 'ô', 'ơ', 'p'], compareVi);
    expectStrictOrder(['u', 'ư', 'v'], compareVi);
    expectStrictOrder(['an', 'ăn', 'ân', 'ba'], compareVi);
    expectStrictOrder(['dũng', 'đa', 'đức', 'em'], compareVi);
  });

  it('places f j w z where Latin does', () => {
    expectStrictOrder(['e', 'ê', 'f', 'g'], compareVi);
    expectStrictOrder(['i', 'j', 'k'], compareVi);
    expectStrictOrder(['v', 'w', 'x', 'y', 'z'], compareVi);
  });

  it('letters are compared before tones, tones before the next word', () => {
    expectStrictOrder(['ma', 'mà', 'mả', 'mã', 'má', 'mạ', 'mác', 'mạc', 'mách', 'mai', 'mài'], compareVi);
    expectStrictOrder(['ma', 'ma cà rồng', 'ma quỷ', 'mà', 'mà cả', 'mả', 'mác'], compareVi);
  });
});

describe('compareVi: tones', () => {
  it('ngang < huyền < hỏi < ngã < sắc < nặng', () => {
    expectStrictOrder(['ma', 'mà', 'mả', 'mã', 'má', 'mạ'], compareVi);
    expectStrictOrder(
      ['a', 'à', 'ả', 'ã', 'á', 'ạ', 'ă', 'ằ', 'ẳ', 'ẵ', 'ắ', 'ặ', 'â', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ'],
      compareVi,
    );
    expect(sortVi(['mạ', 'má', 'mã', 'mả', 'mà', 'ma'])).toEqual(['ma', 'mà', 'mả', 'mã', 'má', 'mạ']);
  });

  it('ignores where the tone mark sits and how the text is encoded', () => {
    expect(sortKeyVi('hoà').split('\u0001')[0]).toBe(sortKeyVi('hòa').split('\u0001')[0]);
    expect(compareVi('Hòa Bình', 'Ho\u0300a Bi\u0300nh')).toBe(0);
    expect(compareVi('thúy', 'thuya')).toBeLessThan(0);
    expect(compareVi('thuý', 'thuya')).toBeLessThan(0);
  });
});

describe('compareVi: other rules', () => {
  it('lowercase before uppercase only as a tie-break', () => {
    expectStrictOrder(['an', 'An', 'AN', 'ăn'], compareVi);
    expectStrictOrder(['bình', 'Bình', 'bính'], compareVi);
  });

  it('compares digit runs by value', () => {
    expectStrictOrder(['Tổ 1', 'Tổ 2', 'Tổ 02a', 'Tổ 10', 'Tổ 100', 'Tổ a'], compareVi);
    expect(sortVi(['Điều 10', 'Điều 9', 'Điều 1'])).toEqual(['Điều 1', 'Điều 9', 'Điều 10']);
  });

  it('treats punctuation as word separators', () => {
    expectStrictOrder(['Bà Rịa', 'Bà Rịa-Vũng Tàu', 'Bắc Giang', 'Bắc Kạn'], compareVi);
    expect(Math.sign(compareVi('Đắk-Lắk', 'Đắk Lắk'))).not.toBe(0); // deterministic tie-break
  });

  it('returns 0 only for canonically equivalent strings', () => {
    expect(compareVi('Nguyễn', 'Nguye\u0302\u0303n')).toBe(0);
    expect(compareVi('', '')).toBe(0);
    expect(compareVi('a', 'a ')).not.toBe(0);
  });

  it('sorts the provinces', () => {
    const provinces = [
      'An Giang',
      'Bắc Ninh',
      'Cà Mau',
      'Cao Bằng',
      'Cần Thơ',
      'Đà Nẵng',
      'Đắk Lắk',
      'Điện Biên',
      'Đồng Nai',
      'Đồng Tháp',
      'Gia Lai',
      'Hà Nội',
      'Hà Tĩnh',
      'Hải Phòng',
      'Hưng Yên',
      'Khánh Hòa',
      'Lai Châu',
      'Lạng Sơn',
      'Lào Cai',
      'Lâm Đồng',
      'Nghệ An',
      'Ninh Bình',
      'Phú Thọ',
      'Quảng Ngãi',
      'Quảng Ninh',
      'Quảng Trị',
      'Sơn La',
      'Tây Ninh',
      'Thái Nguyên',
      'Thanh Hóa',
      'Thành phố Hồ Chí Minh',
      'Tuyên Quang',
      'Vĩnh Long',
      'Huế',
    ];
    const sorted = sortVi(provinces);
    expectStrictOrder(sorted, compareVi);
    expect(sorted.indexOf('Cà Mau')).toBeLessThan(sorted.indexOf('Cao Bằng'));
    expect(sorted.indexOf('Cao Bằng')).toBeLessThan(sorted.indexOf('Cần Thơ'));
    expect(sorted.indexOf('Hà Tĩnh')).toBeLessThan(sorted.indexOf('Hải Phòng'));
    expect(sorted.indexOf('Hải Phòng')).toBeLessThan(sorted.indexOf('Huế'));
    expect(sorted.indexOf('Huế')).toBeLessThan(sorted.indexOf('Hưng Yên'));
    expect(sorted.indexOf('Lai Châu')).toBeLessThan(sorted.indexOf('Lạng Sơn'));
    expect(sorted.indexOf('Lạng Sơn')).toBeLessThan(sorted.indexOf('Lào Cai'));
    expect(sorted.indexOf('Lào Cai')).toBeLessThan(sorted.indexOf('Lâm Đồng'));
    expect(sorted.indexOf('Thái Nguyên')).toBeLessThan(sorted.indexOf('Thanh Hóa'));
    expect(sorted.indexOf('Thanh Hóa')).toBeLessThan(sorted.indexOf('Thành phố Hồ Chí Minh'));
    expect(sorted.at(0)).toBe('An Giang');
    expect(sorted.at(-1)).toBe('Vĩnh Long');
  });
});

describe('sortKeyVi', () => {
  it('orders the same way as compareVi with plain <', () => {
    const items = ['mạ', 'Bình', 'ma', 'An', 'an', 'đa', 'Tổ 10', 'Tổ 2', 'ăn', 'mà cả', 'ma cà'];
    const byKey = [...items].sort((a, b) =>
      sortKeyVi(a) < sortKeyVi(b) ? -1 : sortKeyVi(a) > sortKeyVi(b) ? 1 : 0,
    );
    expect(byKey).toEqual([...items].sort(compareVi));
  });

  it('keeps the first two levels in U+0001..U+3FFF', () => {
    const key = sortKeyVi('Nguyễn Văn An 12 東京 Ελλάδα ð 😀');
    const levels = key.split('\u0001');
    for (const ch of `${levels[0]}${levels[1]}`) {
      const cp = ch.codePointAt(0) ?? 0;
      expect(cp).toBeGreaterThan(0);
      expect(cp).toBeLessThan(0x4000);
    }
  });

  it('handles long input', () => {
    const long = 'Ủy ban nhân dân '.repeat(20_000);
    expect(sortKeyVi(long).length).toBeGreaterThan(long.length);
    expect(compareVi(long, `${long}a`)).toBeLessThan(0);
  });
});

describe('sortVi', () => {
  it('returns a new array and does not mutate the input', () => {
    const input = ['b', 'a', 'ă'];
    const out = sortVi(input);
    expect(out).toEqual(['a', 'ă', 'b']);
    expect(input).toEqual(['b', 'a', 'ă']);
  });

  it('sorts objects by a key and is stable', () => {
    const rows = [
      { id: 1, name: 'Sở Y tế' },
      { id: 2, name: 'Sở Công Thương' },
      { id: 3, name: 'Sở Giáo dục và Đào tạo' },
      { id: 4, name: 'Sở Công thương' },
      { id: 5, name: 'Sở Công thương' },
      { id: 6, name: 'Sở Tài chính' },
    ];
    expect(sortVi(rows, (r) => r.name).map((r) => r.id)).toEqual([4, 5, 2, 3, 6, 1]);
  });
});

describe('compareViNames', () => {
  it('sorts by given name first', () => {
    expect(compareViNames('Trần Văn An', 'Nguyễn Thị Bình')).toBeLessThan(0);
    expect(compareViNames('Nguyễn Thị Bình', 'Trần Văn An')).toBeGreaterThan(0);
    expect(compareVi('Trần Văn An', 'Nguyễn Thị Bình')).toBeGreaterThan(0);
  });

  it('breaks ties by the rest of the name from the start', () => {
    expectStrictOrder(
      ['An', 'Lê An', 'Lê Văn An', 'Trần Văn An', 'Nguyễn Thị Bình', 'Trần Thị Bình', 'Trần Văn Bình'],
      compareViNames,
    );
  });

  it('applies the alphabet and tone rules to the given name', () => {
    expectStrictOrder(
      [
        'Phạm Thị Anh',
        'Lê Thị Ánh',
        'Hoàng Ân',
        'Đỗ Dũng',
        'Vũ Văn Dũng',
        'Bùi Minh Đức',
        'Lý Thị Hà',
        'Lê Hải',
      ],
      compareViNames,
    );
  });

  it('ignores extra whitespace and tone placement except as a final tie-break', () => {
    expect(sortKeyViName('Nguyễn Thị Thúy').split('\u0001').slice(0, 3)).toEqual(
      sortKeyViName('  Nguyễn   Thị Thuý').split('\u0001').slice(0, 3),
    );
  });

  it('sortViNames sorts a staff list', () => {
    const staff = [
      'Nguyễn Văn Đức',
      'Trần Thị Bình',
      'Lê Văn An',
      'Phạm Thị Hòa',
      'Nguyễn Thị Bình',
      'Đặng Văn Dũng',
      'Hoàng Anh',
    ];
    expect(sortViNames(staff)).toEqual([
      'Lê Văn An',
      'Hoàng Anh',
      'Nguyễn Thị Bình',
      'Trần Thị Bình',
      'Đặng Văn Dũng',
      'Nguyễn Văn Đức',
      'Phạm Thị Hòa',
    ]);
    const people = staff.map((name, id) => ({ id, name }));
    expect(sortViNames(people, (p) => p.name).map((p) => p.name)).toEqual(sortViNames(staff));
  });
});
