/**
 * A fictional province after the 2025 two-tier reform: UBND tỉnh, its office, Sở, and communes
 * and wards. The code H99 and every name here are invented; no real agency is meant.
 */
import type { AgencyKind, Role } from '@congvu/contracts';

export const DEMO_PASSWORD = 'CongVu@2026';

export interface DemoAgency {
  key: string;
  code: string;
  legacyCode?: string;
  name: string;
  shortName: string;
  kind: AgencyKind;
  parent?: string;
  departments: string[];
}

const so = (n: number, name: string, short: string, departments: string[]): DemoAgency => ({
  key: short,
  code: `H99.${String(n).padStart(2, '0')}`,
  legacyCode: `000.00.${String(n).padStart(2, '0')}.H99`,
  name,
  shortName: short,
  kind: 'province_department',
  parent: 'UBND',
  departments: ['Văn phòng Sở', 'Phòng Kế hoạch - Tài chính', ...departments],
});

const xa = (
  n: number,
  name: string,
  short: string,
  kind: 'commune_committee' | 'ward_committee',
): DemoAgency => ({
  key: short,
  code: `H99.${60 + n}`,
  name,
  shortName: short,
  kind,
  parent: 'UBND',
  departments: [
    'Văn phòng HĐND và UBND',
    'Phòng Kinh tế',
    'Phòng Văn hóa - Xã hội',
    'Trung tâm Phục vụ hành chính công',
  ],
});

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'UBND',
    code: 'H99',
    legacyCode: '000.00.00.H99',
    name: 'Ủy ban nhân dân tỉnh Sơn Lâm',
    shortName: 'UBND',
    kind: 'province_committee',
    // The units that handle the committee's own documents (its clerk, a general and an economic desk).
    departments: ['Lãnh đạo UBND tỉnh', 'Bộ phận Văn thư', 'Phòng Tổng hợp', 'Phòng Kinh tế - Ngành'],
  },
  {
    key: 'VP',
    code: 'H99.01',
    legacyCode: '000.00.01.H99',
    name: 'Văn phòng Ủy ban nhân dân tỉnh Sơn Lâm',
    shortName: 'VP',
    kind: 'province_office',
    parent: 'UBND',
    departments: [
      'Phòng Hành chính - Tổ chức',
      'Phòng Tổng hợp',
      'Phòng Kinh tế',
      'Trung tâm Phục vụ hành chính công tỉnh',
    ],
  },
  so(2, 'Sở Nội vụ', 'SNV', ['Phòng Tổ chức - Biên chế', 'Phòng Cải cách hành chính']),
  so(3, 'Sở Tài chính', 'STC', ['Phòng Ngân sách', 'Phòng Đăng ký kinh doanh']),
  so(4, 'Sở Xây dựng', 'SXD', ['Phòng Quản lý xây dựng', 'Phòng Giao thông']),
  so(5, 'Sở Y tế', 'SYT', ['Phòng Nghiệp vụ Y', 'Phòng Nghiệp vụ Dược']),
  so(6, 'Sở Giáo dục và Đào tạo', 'SGDĐT', ['Phòng Giáo dục phổ thông']),
  so(7, 'Sở Nông nghiệp và Môi trường', 'SNNMT', ['Phòng Đất đai', 'Phòng Trồng trọt']),
  so(8, 'Sở Khoa học và Công nghệ', 'SKHCN', ['Phòng Chuyển đổi số', 'Phòng Bưu chính - Viễn thông']),
  so(9, 'Sở Tư pháp', 'STP', ['Phòng Hành chính tư pháp']),
  so(10, 'Sở Văn hóa, Thể thao và Du lịch', 'SVHTTDL', ['Phòng Quản lý văn hóa']),
  so(11, 'Sở Công Thương', 'SCT', ['Phòng Quản lý thương mại']),
  xa(1, 'Ủy ban nhân dân phường Hòa Bình', 'PHB', 'ward_committee'),
  xa(2, 'Ủy ban nhân dân phường Đồng Tâm', 'PĐT', 'ward_committee'),
  xa(3, 'Ủy ban nhân dân xã Tân Lập', 'XTL', 'commune_committee'),
  xa(4, 'Ủy ban nhân dân xã Yên Thủy', 'XYT', 'commune_committee'),
  xa(5, 'Ủy ban nhân dân xã Quỳnh Sơn', 'XQS', 'commune_committee'),
  xa(6, 'Ủy ban nhân dân xã Ea Khuê', 'XEK', 'commune_committee'),
  // The inter-agency chain khai sinh – thường trú – thẻ BHYT (module procedures) passes these two.
  {
    key: 'CAXTL',
    code: 'H99.71',
    name: 'Công an xã Tân Lập',
    shortName: 'CAXTL',
    kind: 'other',
    departments: ['Bộ phận tiếp nhận', 'Tổ Quản lý cư trú'],
  },
  {
    key: 'BHXH',
    code: 'H99.80',
    name: 'Bảo hiểm xã hội tỉnh Sơn Lâm',
    shortName: 'BHXH',
    kind: 'other',
    departments: ['Bộ phận Một cửa', 'Phòng Quản lý thu - Sổ, thẻ'],
  },
];

export const DEMO_POSITIONS: Array<[string, number]> = [
  ['Chủ tịch', 10],
  ['Phó Chủ tịch', 20],
  ['Chánh Văn phòng', 30],
  ['Giám đốc Sở', 30],
  ['Phó Chánh Văn phòng', 40],
  ['Phó Giám đốc Sở', 40],
  ['Trưởng phòng', 50],
  ['Phó Trưởng phòng', 60],
  ['Chuyên viên chính', 70],
  ['Chuyên viên', 80],
  ['Văn thư', 90],
  ['Công chức một cửa', 90],
  ['Giám đốc', 30],
  ['Trưởng Công an xã', 50],
  ['Cán bộ Công an', 80],
  ['Quản trị hệ thống', 95],
];

export interface DemoOfficial {
  username: string;
  fullName: string;
  agency: string;
  department: string;
  position: string;
  roles: Role[];
}

const o = (
  username: string,
  fullName: string,
  agency: string,
  department: string,
  position: string,
  roles: Role[],
): DemoOfficial => ({
  username,
  fullName,
  agency,
  department,
  position,
  roles,
});

export const DEMO_OFFICIALS: DemoOfficial[] = [
  o('quantri', 'Nguyễn Hữu Quản', 'SKHCN', 'Phòng Chuyển đổi số', 'Quản trị hệ thống', ['admin']),
  o('chutich', 'Trần Quốc Hưng', 'UBND', 'Lãnh đạo UBND tỉnh', 'Chủ tịch', ['leader']),
  o('pct.kinhte', 'Lê Thị Thanh Hà', 'UBND', 'Lãnh đạo UBND tỉnh', 'Phó Chủ tịch', ['leader']),
  o('pct.vanxa', 'Phạm Văn Đức', 'UBND', 'Lãnh đạo UBND tỉnh', 'Phó Chủ tịch', ['leader']),
  o('vanthu.ubnd', 'Nguyễn Thị Thu Trang', 'UBND', 'Bộ phận Văn thư', 'Văn thư', ['clerk']),
  o('tp.tonghop', 'Lương Văn Quang', 'UBND', 'Phòng Tổng hợp', 'Trưởng phòng', ['specialist']),
  o('cv.ubnd', 'Phùng Thị Hạnh', 'UBND', 'Phòng Tổng hợp', 'Chuyên viên', ['specialist']),
  o('cv.nganh', 'Tăng Văn Lực', 'UBND', 'Phòng Kinh tế - Ngành', 'Chuyên viên', ['specialist']),
  o('cvp', 'Hoàng Minh Tuấn', 'VP', 'Phòng Tổng hợp', 'Chánh Văn phòng', ['leader']),
  o('pcvp', 'Vũ Thị Lan', 'VP', 'Phòng Tổng hợp', 'Phó Chánh Văn phòng', ['leader']),
  o('vanthu.vp', 'Đặng Thị Hoa', 'VP', 'Phòng Hành chính - Tổ chức', 'Văn thư', ['clerk']),
  o('cv.tonghop', 'Bùi Quang Vinh', 'VP', 'Phòng Tổng hợp', 'Chuyên viên', ['specialist']),
  o('cv.kinhte', 'Đỗ Thị Mai', 'VP', 'Phòng Kinh tế', 'Chuyên viên chính', ['specialist']),
  o('motcua.tinh', 'Ngô Thị Thúy', 'VP', 'Trung tâm Phục vụ hành chính công tỉnh', 'Công chức một cửa', [
    'counter',
  ]),
  o('motcua.tinh2', 'Dương Văn Khoa', 'VP', 'Trung tâm Phục vụ hành chính công tỉnh', 'Công chức một cửa', [
    'counter',
  ]),
  o('gd.snv', 'Lý Văn Thắng', 'SNV', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('vanthu.snv', 'Mai Thị Nga', 'SNV', 'Văn phòng Sở', 'Văn thư', ['clerk']),
  o('cv.snv', 'Trịnh Công Sơn', 'SNV', 'Phòng Cải cách hành chính', 'Chuyên viên', ['specialist']),
  o('gd.stc', 'Phan Thị Kim Oanh', 'STC', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('vanthu.stc', 'Tạ Thị Bích', 'STC', 'Văn phòng Sở', 'Văn thư', ['clerk']),
  o('cv.stc', 'Chu Văn An', 'STC', 'Phòng Ngân sách', 'Chuyên viên', ['specialist']),
  o('gd.sxd', 'Hồ Sỹ Dũng', 'SXD', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('vanthu.sxd', 'Lâm Thị Yến', 'SXD', 'Văn phòng Sở', 'Văn thư', ['clerk']),
  o('gd.syt', 'Cao Văn Thành', 'SYT', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('vanthu.syt', 'Kiều Thị Hằng', 'SYT', 'Văn phòng Sở', 'Văn thư', ['clerk']),
  o('gd.sgddt', 'Đinh Thị Ngọc Ánh', 'SGDĐT', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('vanthu.sgddt', 'Tôn Nữ Diệu', 'SGDĐT', 'Văn phòng Sở', 'Văn thư', ['clerk']),
  o('gd.snnmt', 'La Văn Phúc', 'SNNMT', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('cv.datdai', 'Quách Thị Thu', 'SNNMT', 'Phòng Đất đai', 'Chuyên viên', ['specialist']),
  o('gd.skhcn', 'Triệu Quang Minh', 'SKHCN', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('cv.cds', 'Lục Thị Hương', 'SKHCN', 'Phòng Chuyển đổi số', 'Chuyên viên', ['specialist']),
  o('gd.stp', 'Âu Dương Khánh', 'STP', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('cv.htp', 'Huỳnh Thị Ngân', 'STP', 'Phòng Hành chính tư pháp', 'Chuyên viên', ['specialist']),
  o('gd.svhttdl', 'Văn Đình Lộc', 'SVHTTDL', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('gd.sct', 'Nông Thị Xuân', 'SCT', 'Văn phòng Sở', 'Giám đốc Sở', ['leader']),
  o('ct.phb', 'Ninh Văn Bảo', 'PHB', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('vanthu.phb', 'Giáp Thị Liên', 'PHB', 'Văn phòng HĐND và UBND', 'Văn thư', ['clerk']),
  o('motcua.phb', 'Khúc Thị Duyên', 'PHB', 'Trung tâm Phục vụ hành chính công', 'Công chức một cửa', [
    'counter',
  ]),
  o('ct.pdt', 'Mạc Đăng Khoa', 'PĐT', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('motcua.pdt', 'Thái Thị Quyên', 'PĐT', 'Trung tâm Phục vụ hành chính công', 'Công chức một cửa', [
    'counter',
  ]),
  o('ct.xtl', 'Hà Văn Sáng', 'XTL', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('motcua.xtl', 'Lò Thị Xuyến', 'XTL', 'Trung tâm Phục vụ hành chính công', 'Công chức một cửa', [
    'counter',
  ]),
  o('hotich.xtl', 'Sầm Thị Loan', 'XTL', 'Văn phòng HĐND và UBND', 'Chuyên viên', ['specialist']),
  o('truong.caxtl', 'Hoàng Văn Chiến', 'CAXTL', 'Tổ Quản lý cư trú', 'Trưởng Công an xã', ['leader']),
  o('cutru.caxtl', 'Nguyễn Đức Toàn', 'CAXTL', 'Tổ Quản lý cư trú', 'Cán bộ Công an', ['specialist']),
  o('motcua.caxtl', 'Vương Thị Huệ', 'CAXTL', 'Bộ phận tiếp nhận', 'Cán bộ Công an', ['counter']),
  o('gd.bhxh', 'Trương Minh Nhật', 'BHXH', 'Phòng Quản lý thu - Sổ, thẻ', 'Giám đốc', ['leader']),
  o('the.bhxh', 'Lê Thị Phương', 'BHXH', 'Phòng Quản lý thu - Sổ, thẻ', 'Chuyên viên', ['specialist']),
  o('motcua.bhxh', 'Đinh Văn Hiếu', 'BHXH', 'Bộ phận Một cửa', 'Công chức một cửa', ['counter']),
  o('ct.xyt', 'Bàn Văn Tài', 'XYT', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('cv.xyt', 'Đoàn Thị Ly', 'XYT', 'Phòng Kinh tế', 'Chuyên viên', ['specialist']),
  o('ct.xqs', 'Vi Văn Hùng', 'XQS', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('ct.xek', 'Y Bhin Niê', 'XEK', 'Văn phòng HĐND và UBND', 'Chủ tịch', ['leader']),
  o('motcua.xek', 'H Lan Êban', 'XEK', 'Trung tâm Phục vụ hành chính công', 'Công chức một cửa', ['counter']),
];

/** 2025 notice 6150/TB-BLĐTBXH: Friday 2/5 off, Saturday 26/4 worked instead. */
export const DEMO_NOTICES = [
  {
    date: '2025-05-02',
    kind: 'day_off' as const,
    name: 'Nghỉ hoán đổi dịp 30/4 - 1/5',
    legalRef: '6150/TB-BLĐTBXH',
  },
  {
    date: '2025-04-26',
    kind: 'makeup_workday' as const,
    name: 'Làm bù cho ngày 02/5/2025',
    legalRef: '6150/TB-BLĐTBXH',
  },
];

/**
 * Administrative units of the demo province for address fields (two levels since 01/07/2025):
 * the province and the communes/wards that have a People's Committee in the demo, plus two more.
 */
export const DEMO_ADMIN_UNITS = [
  { code: '99', name: 'Tỉnh Sơn Lâm', level: 'province', parentCode: null },
  { code: '99001', name: 'Phường Hòa Bình', level: 'commune', parentCode: '99' },
  { code: '99002', name: 'Phường Đồng Tâm', level: 'commune', parentCode: '99' },
  { code: '99003', name: 'Xã Tân Lập', level: 'commune', parentCode: '99' },
  { code: '99004', name: 'Xã Yên Thủy', level: 'commune', parentCode: '99' },
  { code: '99005', name: 'Xã Quỳnh Sơn', level: 'commune', parentCode: '99' },
  { code: '99006', name: 'Xã Ea Khuê', level: 'commune', parentCode: '99' },
  { code: '98', name: 'Tỉnh Bình Nguyên', level: 'province', parentCode: null },
  { code: '98001', name: 'Phường Trung Tâm', level: 'commune', parentCode: '98' },
].map((u) => ({ ...u, level: u.level as 'province' | 'commune', validFrom: '2025-07-01' }));
