/**
 * The demo catalogue: procedures of the commune and the province with cases, channels (times and
 * fees), components and a processing workflow naming the demo province's departments and roles,
 * among them the inter-agency chain khai sinh – thường trú – thẻ BHYT across the commune, the
 * commune police and the provincial social insurance. Codes look like the national database's
 * (MATTHC); times and fees follow the published procedures as commonly stated, for demonstration
 * only — a province loads its real catalogue with the LayThuTuc import.
 */
import { ProcedureInput, type ProcedureInputRaw } from '@congvu/contracts';
import { birthRegistrationForm } from '@congvu/forms';
import type { ProceduresService } from '../modules/procedures/service.ts';
import type { AuditActor } from '../platform/audit/service.ts';
import type { AuthContext } from '../platform/policy.ts';

type Actor = AuditActor & { auth: AuthContext };
type Raw = ProcedureInputRaw;
type Step = NonNullable<NonNullable<Raw['cases'][number]['workflow']>[number]>;
type Channel = NonNullable<Raw['cases'][number]['channels']>[number];
type Fee = NonNullable<Channel['fees']>[number];

export const DEMO_SECTORS: Array<[string, string]> = [
  ['HT', 'Hộ tịch'],
  ['CT', 'Chứng thực'],
  ['CUTRU', 'Đăng ký, quản lý cư trú'],
  ['BHYT', 'Bảo hiểm y tế'],
  ['LT', 'Liên thông thủ tục hành chính'],
  ['HKD', 'Thành lập và hoạt động của hộ kinh doanh'],
  ['XD', 'Hoạt động xây dựng'],
  ['DD', 'Đất đai'],
  ['LLTP', 'Lý lịch tư pháp'],
  ['LTHH', 'Lưu thông hàng hóa trong nước'],
];

const VALID_FROM = '2025-07-01';
const ALL = [1, 2, 3] as const;

const fee = (name: string, amount: number, over: Partial<Fee> = {}): Fee => ({
  name,
  kind: /lệ phí/i.test(name) ? 'charge' : 'fee',
  amount,
  when: amount > 0 ? 'before' : 'exempt',
  ...over,
});
const channels = (
  value: number,
  unit: Channel['durationUnit'],
  fees: Fee[],
  which: readonly (1 | 2 | 3)[] = ALL,
  online: Fee[] = fees,
): Channel[] =>
  which.map((channel) => ({
    channel,
    durationValue: value,
    durationUnit: unit,
    fees: channel === 2 ? online : fees,
    ...(channel === 3 && { description: 'Nộp qua dịch vụ bưu chính công ích' }),
  }));
const doc = (name: string, originals = 1, copies = 0, extra: Record<string, unknown> = {}) => ({
  name,
  originals,
  copies,
  ...extra,
});

/** Ids of the demo province the workflows name. */
export interface DemoUnits {
  agency: (key: string) => string;
  department: (key: string, name: string) => string;
}

/** A commune procedure done inside the receiving commune: counter → civil servant → chairman → counter. */
function communeFlow(appraise: string, hours: number): Step[] {
  return [
    { name: 'Tiếp nhận hồ sơ tại Bộ phận Một cửa', kind: 'receive', role: 'counter', durationHours: 1 },
    { name: appraise, kind: 'appraise', role: 'specialist', durationHours: hours },
    { name: 'Lãnh đạo UBND xã ký kết quả', kind: 'sign', role: 'leader', durationHours: 2 },
    { name: 'Trả kết quả', kind: 'return', role: 'counter', durationHours: 1 },
  ];
}

/** A province procedure: received at the provincial service centre, handled by a Sở. */
function provinceFlow(u: DemoUnits, so: string, dep: string, hours: number, appraise: string): Step[] {
  const centre = {
    agencyId: u.agency('VP'),
    departmentId: u.department('VP', 'Trung tâm Phục vụ hành chính công tỉnh'),
  };
  return [
    {
      name: 'Tiếp nhận tại Trung tâm Phục vụ hành chính công tỉnh',
      kind: 'receive',
      role: 'counter',
      durationHours: 2,
      ...centre,
    },
    {
      name: 'Phân công xử lý',
      kind: 'assign',
      role: 'leader',
      durationHours: 4,
      agencyId: u.agency(so),
      departmentId: u.department(so, dep),
    },
    {
      name: appraise,
      kind: 'appraise',
      role: 'specialist',
      durationHours: hours,
      agencyId: u.agency(so),
      departmentId: u.department(so, dep),
    },
    {
      name: 'Lãnh đạo Sở phê duyệt, ký',
      kind: 'approve',
      role: 'leader',
      durationHours: 8,
      agencyId: u.agency(so),
      departmentId: u.department(so, 'Văn phòng Sở'),
    },
    { name: 'Trả kết quả tại Trung tâm', kind: 'return', role: 'counter', durationHours: 2, ...centre },
  ];
}

export function demoProcedures(u: DemoUnits): Raw[] {
  const communes = ['PHB', 'PĐT', 'XTL', 'XYT', 'XQS', 'XEK'].map((k) => u.agency(k));
  const hoTich = {
    sectorCode: 'HT',
    authorityLevel: 'commune',
    agencyIds: communes,
    validFrom: VALID_FROM,
    published: true,
  } as const;
  const luatHoTich = { number: '60/2014/QH13', title: 'Luật Hộ tịch' };
  const nd123 = {
    number: '123/2015/NĐ-CP',
    title: 'Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch',
  };
  const province = (so: string) => [u.agency('VP'), u.agency(so)];

  return [
    {
      ...hoTich,
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      onlineLevel: 'full',
      applicants: ['Công dân Việt Nam'],
      results: [{ name: 'Giấy khai sinh (bản chính)' }],
      legalBasis: [luatHoTich, nd123],
      cases: [
        {
          name: 'Đăng ký khai sinh đúng hạn',
          steps: [
            'Người yêu cầu nộp hồ sơ',
            'Công chức tư pháp - hộ tịch kiểm tra, ghi sổ',
            'Chủ tịch UBND xã ký Giấy khai sinh',
          ],
          channels: channels(1, 'working_days', [fee('Lệ phí đăng ký khai sinh đúng hạn', 0)]),
          components: [
            doc('Tờ khai đăng ký khai sinh', 1, 0, { formName: 'Mẫu tờ khai đăng ký khai sinh' }),
            doc('Giấy chứng sinh', 1),
          ],
          workflow: communeFlow('Công chức Tư pháp - Hộ tịch kiểm tra, ghi Sổ đăng ký khai sinh', 4),
          // Online, the tờ khai is this form (packages/forms); the papers are uploaded or reused.
          onlineForm: birthRegistrationForm,
        },
        {
          name: 'Đăng ký khai sinh quá hạn',
          steps: ['Người yêu cầu nộp hồ sơ', 'Xác minh (nếu cần)', 'Chủ tịch UBND xã ký Giấy khai sinh'],
          channels: channels(3, 'working_days', [fee('Lệ phí đăng ký khai sinh quá hạn', 8000)]),
          components: [
            doc('Tờ khai đăng ký khai sinh'),
            doc('Giấy chứng sinh hoặc văn bản của người làm chứng', 1),
          ],
          workflow: communeFlow('Công chức Tư pháp - Hộ tịch xác minh, ghi Sổ', 20),
          // The same tờ khai (TT 04/2020 Mẫu TP/HT-2020-KS.1) as on time: late registration is online too.
          onlineForm: birthRegistrationForm,
        },
      ],
    },
    {
      ...hoTich,
      code: '1.000894',
      name: 'Đăng ký kết hôn',
      onlineLevel: 'partial',
      applicants: ['Công dân Việt Nam cư trú trong nước'],
      conditions:
        'Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; tự nguyện; không bị mất năng lực hành vi dân sự; không thuộc trường hợp cấm kết hôn',
      results: [{ name: 'Giấy chứng nhận kết hôn' }],
      legalBasis: [luatHoTich, { number: '52/2014/QH13', title: 'Luật Hôn nhân và gia đình' }],
      cases: [
        {
          name: 'Đăng ký kết hôn trong nước',
          channels: channels(1, 'working_days', [fee('Lệ phí đăng ký kết hôn', 0)], [1, 2]),
          components: [
            doc('Tờ khai đăng ký kết hôn'),
            doc('Giấy xác nhận tình trạng hôn nhân (nếu đăng ký tại nơi không thường trú)', 1),
          ],
          workflow: communeFlow('Công chức Tư pháp - Hộ tịch kiểm tra điều kiện kết hôn', 4),
        },
      ],
    },
    {
      ...hoTich,
      code: '1.000656',
      name: 'Đăng ký khai tử',
      onlineLevel: 'full',
      applicants: ['Người thân thích của người chết'],
      results: [{ name: 'Trích lục khai tử' }],
      legalBasis: [luatHoTich, nd123],
      cases: [
        {
          name: 'Đăng ký khai tử đúng hạn',
          channels: channels(1, 'working_days', [fee('Lệ phí đăng ký khai tử', 0)]),
          components: [doc('Tờ khai đăng ký khai tử'), doc('Giấy báo tử hoặc giấy tờ thay thế', 1)],
          workflow: communeFlow('Công chức Tư pháp - Hộ tịch ghi Sổ đăng ký khai tử', 4),
        },
      ],
    },
    {
      ...hoTich,
      code: '2.000635',
      name: 'Cấp bản sao trích lục hộ tịch',
      onlineLevel: 'full',
      applicants: ['Cá nhân có yêu cầu'],
      results: [{ name: 'Bản sao trích lục hộ tịch' }],
      legalBasis: [luatHoTich],
      cases: [
        {
          name: 'Cấp bản sao trích lục',
          channels: channels(
            4,
            'working_hours',
            [fee('Phí cấp bản sao trích lục hộ tịch (mỗi bản)', 8000)],
            ALL,
            [fee('Phí cấp bản sao trích lục hộ tịch trực tuyến (mỗi bản)', 4000)],
          ),
          components: [doc('Tờ khai cấp bản sao trích lục hộ tịch')],
          workflow: communeFlow('Công chức Tư pháp - Hộ tịch tra cứu Sổ hộ tịch', 2),
        },
      ],
    },
    {
      code: '2.000815',
      name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp',
      sectorCode: 'CT',
      authorityLevel: 'commune',
      onlineLevel: 'partial',
      agencyIds: communes,
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Cá nhân, tổ chức'],
      results: [{ name: 'Bản sao được chứng thực từ bản chính' }],
      legalBasis: [
        {
          number: '23/2015/NĐ-CP',
          title: 'Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính',
        },
      ],
      cases: [
        {
          name: 'Chứng thực bản sao',
          channels: channels(4, 'working_hours', [fee('Phí chứng thực bản sao (mỗi trang)', 2000)], [1]),
          components: [doc('Bản chính giấy tờ, văn bản', 1), doc('Bản sao cần chứng thực', 0, 1)],
          workflow: [
            { name: 'Tiếp nhận, đối chiếu bản chính', kind: 'receive', role: 'counter', durationHours: 1 },
            { name: 'Chủ tịch UBND xã ký chứng thực', kind: 'sign', role: 'leader', durationHours: 2 },
            { name: 'Trả bản sao đã chứng thực', kind: 'return', role: 'counter', durationHours: 1 },
          ],
        },
      ],
    },
    {
      code: '1.004222',
      name: 'Đăng ký thường trú',
      sectorCode: 'CUTRU',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: [u.agency('CAXTL')],
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Công dân Việt Nam'],
      results: [{ name: 'Thông báo kết quả đăng ký thường trú (cập nhật Cơ sở dữ liệu về cư trú)' }],
      legalBasis: [{ number: '68/2020/QH14', title: 'Luật Cư trú' }],
      cases: [
        {
          name: 'Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu',
          channels: channels(7, 'working_days', [fee('Lệ phí đăng ký cư trú', 20000)], ALL, [
            fee('Lệ phí đăng ký cư trú trực tuyến', 10000),
          ]),
          components: [
            doc('Tờ khai thay đổi thông tin cư trú (CT01)'),
            doc('Giấy tờ chứng minh chỗ ở hợp pháp', 0, 1),
          ],
          workflow: [
            {
              name: 'Tiếp nhận hồ sơ',
              kind: 'receive',
              role: 'counter',
              durationHours: 2,
              departmentId: u.department('CAXTL', 'Bộ phận tiếp nhận'),
            },
            {
              name: 'Kiểm tra, cập nhật Cơ sở dữ liệu về cư trú',
              kind: 'appraise',
              role: 'specialist',
              durationHours: 40,
              departmentId: u.department('CAXTL', 'Tổ Quản lý cư trú'),
            },
            { name: 'Trưởng Công an xã duyệt', kind: 'approve', role: 'leader', durationHours: 12 },
            { name: 'Trả kết quả', kind: 'return', role: 'counter', durationHours: 2 },
          ],
        },
      ],
    },
    {
      code: '1.003011',
      name: 'Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      sectorCode: 'BHYT',
      authorityLevel: 'province',
      onlineLevel: 'full',
      agencyIds: [u.agency('BHXH')],
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Trẻ em dưới 6 tuổi (cha, mẹ hoặc người giám hộ nộp)'],
      results: [{ name: 'Thẻ bảo hiểm y tế' }],
      legalBasis: [{ number: '25/2008/QH12', title: 'Luật Bảo hiểm y tế' }],
      cases: [
        {
          name: 'Cấp thẻ lần đầu',
          channels: channels(5, 'working_days', [fee('Không thu phí', 0, { kind: 'fee', when: 'none' })]),
          components: [doc('Tờ khai tham gia, điều chỉnh thông tin bảo hiểm xã hội, bảo hiểm y tế (TK1-TS)')],
          workflow: [
            {
              name: 'Tiếp nhận hồ sơ',
              kind: 'receive',
              role: 'counter',
              durationHours: 2,
              departmentId: u.department('BHXH', 'Bộ phận Một cửa'),
            },
            {
              name: 'Lập danh sách, in thẻ',
              kind: 'appraise',
              role: 'specialist',
              durationHours: 30,
              departmentId: u.department('BHXH', 'Phòng Quản lý thu - Sổ, thẻ'),
            },
            { name: 'Lãnh đạo duyệt', kind: 'approve', role: 'leader', durationHours: 6 },
            { name: 'Trả thẻ', kind: 'return', role: 'counter', durationHours: 2 },
          ],
        },
      ],
    },
    {
      code: '1.010813',
      name: 'Liên thông đăng ký khai sinh – đăng ký thường trú – cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      sectorCode: 'LT',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: [u.agency('XTL')],
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Cha, mẹ hoặc người giám hộ của trẻ em dưới 6 tuổi'],
      results: [
        { name: 'Giấy khai sinh' },
        { name: 'Thông báo kết quả đăng ký thường trú' },
        { name: 'Thẻ bảo hiểm y tế' },
      ],
      legalBasis: [
        luatHoTich,
        { number: '68/2020/QH14', title: 'Luật Cư trú' },
        { number: '25/2008/QH12', title: 'Luật Bảo hiểm y tế' },
        {
          number: '63/2024/NĐ-CP',
          title: 'Nghị định quy định việc thực hiện liên thông điện tử 02 nhóm thủ tục hành chính',
        },
      ],
      cases: [
        {
          name: 'Trẻ em được đăng ký khai sinh, thường trú tại xã Tân Lập',
          steps: [
            'Nộp hồ sơ liên thông tại Bộ phận Một cửa UBND xã',
            'UBND xã đăng ký khai sinh, chuyển Công an xã',
            'Công an xã đăng ký thường trú, chuyển Bảo hiểm xã hội',
            'Bảo hiểm xã hội cấp thẻ BHYT',
            'Trả kết quả tại UBND xã',
          ],
          channels: channels(
            10,
            'working_days',
            [fee('Lệ phí đăng ký khai sinh', 0), fee('Lệ phí đăng ký cư trú', 20000)],
            [1, 2],
            [fee('Lệ phí đăng ký khai sinh', 0), fee('Lệ phí đăng ký cư trú trực tuyến', 10000)],
          ),
          components: [
            doc('Tờ khai đăng ký khai sinh'),
            doc('Giấy chứng sinh'),
            doc('Tờ khai thay đổi thông tin cư trú (CT01)'),
            doc('Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT (TK1-TS)'),
          ],
          workflow: [
            {
              name: 'Tiếp nhận hồ sơ liên thông',
              kind: 'receive',
              role: 'counter',
              durationHours: 1,
              departmentId: u.department('XTL', 'Trung tâm Phục vụ hành chính công'),
            },
            {
              name: 'Công chức Tư pháp - Hộ tịch đăng ký khai sinh',
              kind: 'appraise',
              role: 'specialist',
              durationHours: 6,
              departmentId: u.department('XTL', 'Văn phòng HĐND và UBND'),
            },
            { name: 'Chủ tịch UBND xã ký Giấy khai sinh', kind: 'sign', role: 'leader', durationHours: 1 },
            {
              name: 'Công an xã đăng ký thường trú',
              kind: 'appraise',
              role: 'specialist',
              durationHours: 24,
              agencyId: u.agency('CAXTL'),
              departmentId: u.department('CAXTL', 'Tổ Quản lý cư trú'),
            },
            {
              name: 'Trưởng Công an xã duyệt',
              kind: 'approve',
              role: 'leader',
              durationHours: 8,
              agencyId: u.agency('CAXTL'),
              departmentId: u.department('CAXTL', 'Tổ Quản lý cư trú'),
            },
            {
              name: 'Bảo hiểm xã hội tỉnh cấp thẻ BHYT',
              kind: 'appraise',
              role: 'specialist',
              durationHours: 32,
              agencyId: u.agency('BHXH'),
              departmentId: u.department('BHXH', 'Phòng Quản lý thu - Sổ, thẻ'),
            },
            {
              name: 'Trả kết quả tại UBND xã',
              kind: 'return',
              role: 'counter',
              durationHours: 8,
              departmentId: u.department('XTL', 'Trung tâm Phục vụ hành chính công'),
            },
          ],
        },
      ],
    },
    {
      code: '2.001612',
      name: 'Đăng ký thành lập hộ kinh doanh',
      sectorCode: 'HKD',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: communes,
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Cá nhân, thành viên hộ gia đình là công dân Việt Nam'],
      results: [{ name: 'Giấy chứng nhận đăng ký hộ kinh doanh' }],
      legalBasis: [{ number: '01/2021/NĐ-CP', title: 'Nghị định về đăng ký doanh nghiệp' }],
      cases: [
        {
          name: 'Đăng ký thành lập hộ kinh doanh',
          channels: channels(3, 'working_days', [fee('Lệ phí đăng ký hộ kinh doanh', 100000)], ALL, [
            fee('Lệ phí đăng ký hộ kinh doanh', 0, { description: 'Miễn khi nộp trực tuyến' }),
          ]),
          components: [
            doc('Giấy đề nghị đăng ký hộ kinh doanh'),
            doc('Biên bản họp thành viên hộ gia đình (nếu có)', 1, 0, { required: false }),
          ],
          workflow: communeFlow('Công chức Phòng Kinh tế thẩm định hồ sơ', 12),
        },
      ],
    },
    {
      code: '1.009794',
      name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ',
      sectorCode: 'XD',
      authorityLevel: 'commune',
      onlineLevel: 'partial',
      agencyIds: communes,
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Hộ gia đình, cá nhân'],
      results: [{ name: 'Giấy phép xây dựng' }],
      legalBasis: [
        { number: '50/2014/QH13', title: 'Luật Xây dựng' },
        {
          number: '175/2024/NĐ-CP',
          title: 'Nghị định quy định chi tiết Luật Xây dựng về quản lý hoạt động xây dựng',
        },
      ],
      cases: [
        {
          name: 'Nhà ở riêng lẻ',
          channels: channels(15, 'working_days', [fee('Lệ phí cấp giấy phép xây dựng', 75000)], [1, 2]),
          components: [
            doc('Đơn đề nghị cấp giấy phép xây dựng'),
            doc('Giấy tờ chứng minh quyền sử dụng đất', 0, 1),
            doc('Bản vẽ thiết kế xây dựng', 2),
          ],
          workflow: communeFlow('Công chức Phòng Kinh tế thẩm định, kiểm tra thực địa', 100),
        },
      ],
    },
    {
      code: '1.012766',
      name: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu',
      sectorCode: 'DD',
      authorityLevel: 'province',
      onlineLevel: 'partial',
      agencyIds: province('SNNMT'),
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Hộ gia đình, cá nhân, tổ chức sử dụng đất'],
      results: [{ name: 'Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất' }],
      legalBasis: [
        { number: '31/2024/QH15', title: 'Luật Đất đai' },
        {
          number: '101/2024/NĐ-CP',
          title: 'Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận',
        },
      ],
      cases: [
        {
          name: 'Cấp Giấy chứng nhận lần đầu',
          channels: channels(
            30,
            'working_days',
            [
              fee('Lệ phí cấp Giấy chứng nhận', 100000),
              fee('Phí thẩm định hồ sơ cấp Giấy chứng nhận', 500000),
            ],
            [1, 3],
          ),
          components: [
            doc('Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)'),
            doc('Giấy tờ về quyền sử dụng đất', 0, 1),
            doc('Mảnh trích đo bản đồ địa chính', 1, 0, { required: false }),
          ],
          workflow: provinceFlow(
            u,
            'SNNMT',
            'Phòng Đất đai',
            200,
            'Thẩm định hồ sơ, xác định nghĩa vụ tài chính, trình cấp Giấy chứng nhận',
          ),
        },
      ],
    },
    {
      code: '2.000488',
      name: 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
      sectorCode: 'LLTP',
      authorityLevel: 'province',
      onlineLevel: 'full',
      agencyIds: province('STP'),
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Công dân Việt Nam', 'Người nước ngoài cư trú tại Việt Nam'],
      results: [{ name: 'Phiếu lý lịch tư pháp số 1 hoặc số 2' }],
      legalBasis: [{ number: '28/2009/QH12', title: 'Luật Lý lịch tư pháp' }],
      cases: [
        {
          name: 'Cấp Phiếu lý lịch tư pháp',
          channels: channels(
            10,
            'working_days',
            [fee('Phí cung cấp thông tin lý lịch tư pháp', 200000)],
            ALL,
            [fee('Phí cung cấp thông tin lý lịch tư pháp', 100000)],
          ),
          components: [
            doc('Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp'),
            doc('Bản chụp giấy tờ tùy thân', 0, 1),
          ],
          workflow: provinceFlow(
            u,
            'STP',
            'Phòng Hành chính tư pháp',
            56,
            'Tra cứu, xác minh thông tin lý lịch tư pháp',
          ),
        },
      ],
    },
    {
      code: '2.000181',
      name: 'Cấp Giấy phép bán lẻ sản phẩm thuốc lá',
      sectorCode: 'LTHH',
      authorityLevel: 'province',
      onlineLevel: 'full',
      agencyIds: province('SCT'),
      validFrom: VALID_FROM,
      published: true,
      applicants: ['Thương nhân'],
      results: [{ name: 'Giấy phép bán lẻ sản phẩm thuốc lá' }],
      legalBasis: [
        {
          number: '67/2013/NĐ-CP',
          title: 'Nghị định quy định chi tiết Luật Phòng, chống tác hại của thuốc lá về kinh doanh thuốc lá',
        },
      ],
      cases: [
        {
          name: 'Cấp mới',
          channels: channels(15, 'working_days', [fee('Phí thẩm định điều kiện kinh doanh', 1100000)]),
          components: [doc('Đơn đề nghị cấp Giấy phép'), doc('Giấy chứng nhận đăng ký doanh nghiệp', 0, 1)],
          workflow: provinceFlow(
            u,
            'SCT',
            'Phòng Quản lý thương mại',
            90,
            'Thẩm định hồ sơ, kiểm tra điều kiện kinh doanh',
          ),
        },
      ],
    },
  ];
}

/** Creates the sectors and the catalogue through the service, as the administrator. */
export async function seedProcedures(procedures: ProceduresService, admin: Actor, units: DemoUnits) {
  for (const [code, name] of DEMO_SECTORS)
    await procedures.createSector(admin, { code, name, validFrom: VALID_FROM });
  const made = [];
  for (const raw of demoProcedures(units))
    made.push(await procedures.create(admin, ProcedureInput.parse(raw)));
  return made;
}
