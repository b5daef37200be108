/**
 * The portal's two languages: Vietnamese by default, English on request (the `congvu_lang`
 * cookie, set by the switch link in the header). One flat dictionary per language; English is
 * typed against Vietnamese, so a missing key does not compile. `{name}` marks a value filled by
 * `fill`; the result is a plain string, escaped like any other when it goes into `html`.
 *
 * To translate a page: `const s = t(shell.lang)` and `s['key']` / `fill(s['key'], { n })`.
 * Data (procedure names, agencies…) is shown as stored, in Vietnamese.
 */

import { type Html, html, raw } from './html.ts';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
/** The cookie holding the chosen language (path /cong-dich-vu, one year). */
export const LANG_COOKIE = 'congvu_lang';

/** A cookie value (or anything) as a language; Vietnamese unless it is exactly "en". */
export function langOf(v: string | undefined | null): Lang {
  return v === 'en' ? 'en' : 'vi';
}

const vi = {
  // Layout
  'site.name': 'Cổng dịch vụ công',
  'layout.skip': 'Bỏ qua, đến nội dung chính',
  'layout.nav': 'Điều hướng chính',
  'layout.footer': '{site} — hệ thống CongVu. Trang dùng được không cần JavaScript.',
  'layout.staff': 'Cán bộ, công chức đăng nhập hệ thống điều hành',
  /** The link to the other language, written in that language. */
  'layout.switch': 'English',
  'nav.home': 'Trang chủ',
  'nav.catalogue': 'Thủ tục hành chính',
  'nav.lookup': 'Tra cứu hồ sơ',
  'nav.stats': 'Thống kê',
  'nav.signIn': 'Đăng nhập',
  'nav.account': 'Tài khoản',
  'nav.signOut': 'Đăng xuất',
  'nav.notices': 'Thông báo',
  'nav.mine': 'Hồ sơ của tôi',
  'nav.unread': '{n} chưa đọc',
  'profile.notifyH2': 'Nhận thông báo về hồ sơ',
  'profile.notifyLegend': 'Ngoài mục Thông báo trên Cổng, gửi thêm qua:',
  'profile.notifyEmail': 'Nhận thông báo bằng thư',
  'profile.notifySms': 'Nhận thông báo bằng tin nhắn SMS',
  'profile.notifySave': 'Lưu cách nhận thông báo',
  'profile.idH2': 'Tài khoản định danh điện tử (VNeID)',
  'profile.linked': 'Đã liên kết với {issuer} từ {date}.',
  'profile.unlink': 'Bỏ liên kết',
  'profile.unlinkNeedsPassword':
    'Tài khoản chưa có mật khẩu nên không bỏ liên kết được (cần một cách đăng nhập).',
  'profile.notLinked': 'Chưa liên kết tài khoản định danh điện tử.',
  'profile.link': 'Liên kết tài khoản VNeID',

  // Shared vocabulary
  'level.central': 'Cấp trung ương',
  'level.province': 'Cấp tỉnh',
  'level.commune': 'Cấp xã',
  'online.full': 'Dịch vụ công trực tuyến toàn trình',
  'online.partial': 'Dịch vụ công trực tuyến một phần',
  'channel.1': 'Trực tiếp',
  'channel.2': 'Trực tuyến',
  'channel.3': 'Dịch vụ bưu chính',
  'channel.other': 'Kênh {n}',
  'unit.working_days': 'ngày làm việc',
  'unit.working_hours': 'giờ làm việc',
  'unit.calendar_days': 'ngày',
  'feeWhen.before': 'nộp khi nộp hồ sơ',
  'feeWhen.after': 'nộp khi nhận kết quả',
  'feeWhen.exempt': 'miễn',
  'feeWhen.none': 'không thu',

  // Home
  'home.title': 'Trang chủ',
  'home.description':
    'Cổng dịch vụ công: tra cứu thủ tục hành chính, giấy tờ, phí, lệ phí, thời hạn; tra cứu tình trạng hồ sơ.',
  'home.h1': 'Tra cứu thủ tục hành chính, theo dõi hồ sơ',
  'home.intro':
    'Tìm thủ tục cần làm (gõ có dấu hay không dấu đều được), xem giấy tờ, phí, lệ phí, thời hạn giải quyết và nơi nộp.',
  'home.waysIn': 'Bạn cần',
  'home.toCatalogue': 'Xem danh mục {n} thủ tục hành chính',
  'home.toLookup': 'Tra cứu tình trạng hồ sơ đã nộp',
  'home.toStats': 'Xem chỉ số phục vụ người dân, doanh nghiệp',
  'home.bySector': 'Thủ tục theo lĩnh vực',

  // Catalogue
  'search.q': 'Tên hoặc mã thủ tục',
  'search.placeholder': 'ví dụ: dang ky khai sinh',
  'search.sector': 'Lĩnh vực',
  'search.allSectors': 'Tất cả lĩnh vực',
  'search.agency': 'Cơ quan giải quyết',
  'search.allAgencies': 'Tất cả cơ quan',
  'search.level': 'Cấp thực hiện',
  'search.allLevels': 'Tất cả các cấp',
  'search.submit': 'Tìm kiếm',
  'catalogue.h1': 'Thủ tục hành chính',
  'catalogue.title.search': 'Tìm thủ tục: {q}',
  'catalogue.description': 'Danh mục thủ tục hành chính: tìm theo tên, lĩnh vực, cơ quan, cấp thực hiện.',
  'catalogue.count': 'Tìm thấy {n} thủ tục',
  'catalogue.countFor': 'Tìm thấy {n} thủ tục cho “{q}”',
  'catalogue.code': 'Mã {code}',
  'catalogue.empty': 'Không có thủ tục nào phù hợp. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt điều kiện lọc.',
  'catalogue.pager': 'Phân trang',
  'catalogue.prev': 'Trang trước',
  'catalogue.next': 'Trang sau',
  'catalogue.pageOf': 'Trang {page}/{pages}',

  // Procedure
  'proc.crumbs': 'Vị trí trang',
  'proc.code': 'Mã thủ tục',
  'proc.sector': 'Lĩnh vực',
  'proc.level': 'Cấp thực hiện',
  'proc.online': 'Mức độ',
  'proc.applicants': 'Đối tượng thực hiện',
  'proc.validFrom': 'Áp dụng từ',
  'proc.submitOnline': 'Nộp trực tuyến',
  'proc.offline': 'Thủ tục này nộp trực tiếp hoặc qua bưu chính tại nơi tiếp nhận dưới đây.',
  'proc.where': 'Nơi tiếp nhận hồ sơ',
  'proc.whereDefault': 'Bộ phận một cửa nơi bạn cư trú.',
  'proc.case': 'Trường hợp {n}: {name}',
  'proc.howTo': 'Cách thực hiện',
  'proc.timeFees': 'Thời hạn giải quyết và phí, lệ phí theo cách nộp',
  'proc.timeFeesCaption': 'Thời hạn và phí, lệ phí theo cách nộp',
  'proc.channel': 'Cách nộp',
  'proc.duration': 'Thời hạn giải quyết',
  'proc.fees': 'Phí, lệ phí',
  'proc.noFees': 'Không thu phí, lệ phí',
  'proc.steps': 'Trình tự thực hiện',
  'proc.components': 'Thành phần hồ sơ',
  'proc.componentsCaption': 'Giấy tờ cần nộp',
  'proc.paper': 'Giấy tờ',
  'proc.quantity': 'Số lượng',
  'proc.form': 'Mẫu đơn, tờ khai',
  'proc.ifAny': '(nếu có)',
  'proc.altGroup': '(hoặc giấy tờ khác cùng nhóm {g})',
  'proc.download': 'Tải mẫu',
  'proc.formAtCounter': '(nhận tại nơi nộp)',
  'proc.noComponents': 'Không yêu cầu giấy tờ.',
  'proc.originals': '{n} bản chính',
  'proc.certified': '{n} bản sao chứng thực',
  'proc.copies': '{n} bản sao',
  'proc.conditions': 'Yêu cầu, điều kiện',
  'proc.results': 'Kết quả',
  'proc.legal': 'Căn cứ pháp lý',
  'proc.announcer': 'Cơ quan công bố:',
  'proc.description': '{name}: giấy tờ cần nộp, phí, lệ phí, thời hạn giải quyết, nơi nộp hồ sơ.',
  'submit.title': 'Nộp trực tuyến: {name}',
  'submit.soon':
    'Chức năng nộp hồ sơ trực tuyến đang được hoàn thiện. Trong thời gian này, vui lòng nộp hồ sơ trực tiếp tại bộ phận một cửa.',
  'submit.back': 'Quay lại thông tin thủ tục',

  // Lookup
  'lookup.h1': 'Tra cứu hồ sơ',
  'lookup.intro': 'Nhập mã hồ sơ và mã tra cứu in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
  'lookup.description': 'Tra cứu tình trạng giải quyết hồ sơ thủ tục hành chính bằng mã hồ sơ và mã tra cứu.',
  'lookup.code': 'Mã hồ sơ',
  'lookup.codeHint': 'In trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.',
  'lookup.secret': 'Mã tra cứu',
  'lookup.secretHint': 'In trên giấy tiếp nhận, cạnh mã QR. Quét mã QR sẽ mở thẳng trang này.',
  'lookup.submit': 'Tra cứu',
  'lookup.dossier': 'Hồ sơ {code}',
  'lookup.status': 'Tình trạng: {label}',
  'lookup.next': 'Việc bạn cần làm:',
  'lookup.procedure': 'Thủ tục',
  'lookup.received': 'Ngày tiếp nhận',
  'lookup.due': 'Ngày hẹn trả kết quả',
  'lookup.finished': 'Ngày giải quyết xong',
  'lookup.delivered': 'Ngày trả kết quả',
  'lookup.history': 'Các bước đã qua',
  'lookup.notFound': 'Không tìm thấy hồ sơ',
  'lookup.notFoundText':
    'Không có hồ sơ nào khớp với mã hồ sơ và mã tra cứu đã nhập. Vui lòng kiểm tra lại hai mã trên giấy tiếp nhận.',
  'next.1': 'Hồ sơ đã được đăng ký, đang chờ cán bộ tiếp nhận kiểm tra. Bạn chưa cần làm gì thêm.',
  'next.2': 'Hồ sơ đã được tiếp nhận. Bạn chờ kết quả theo ngày hẹn trả.',
  'next.3':
    'Hồ sơ không được tiếp nhận. Vui lòng xem phiếu từ chối hoặc liên hệ bộ phận một cửa để biết lý do.',
  'next.4': 'Hồ sơ đang được giải quyết. Bạn chờ kết quả theo ngày hẹn trả.',
  'next.5': 'Bạn cần bổ sung giấy tờ theo phiếu yêu cầu bổ sung, tại bộ phận một cửa nơi đã nộp hồ sơ.',
  'next.6':
    'Bạn cần nộp phí, lệ phí hoặc thực hiện nghĩa vụ tài chính theo thông báo, rồi mang chứng từ đến bộ phận một cửa.',
  'next.7': 'Hồ sơ đã được rút theo yêu cầu của bạn. Không cần làm gì thêm.',
  'next.8': 'Hồ sơ đã dừng xử lý. Vui lòng liên hệ bộ phận một cửa để biết lý do.',
  'next.9': 'Hồ sơ đã giải quyết xong. Bạn mang giấy tiếp nhận hồ sơ và hẹn trả kết quả đến nhận kết quả.',
  'next.10': 'Bạn đã nhận kết quả. Hồ sơ đã hoàn tất.',
  'next.other': 'Liên hệ bộ phận một cửa nơi nộp hồ sơ.',

  // Statistics
  'stats.h1': 'Chỉ số phục vụ người dân, doanh nghiệp năm {year}',
  'stats.intro':
    'Theo Quyết định 766/QĐ-TTg: điểm đạt được trên tổng điểm của các chỉ tiêu tính được, và tỷ lệ hồ sơ giải quyết đúng hạn.',
  'stats.year': 'Năm',
  'stats.show': 'Xem',
  'stats.chartScore': 'Điểm chỉ số 766 theo cơ quan, năm {year}',
  'stats.chartOnTime': 'Tỷ lệ hồ sơ giải quyết đúng hạn theo cơ quan, năm {year}',
  'stats.byAgency': 'Bảng số liệu theo cơ quan',
  'stats.byAgencyCaption': 'Chỉ số 766 và hồ sơ theo cơ quan, năm {year}',
  'stats.agency': 'Cơ quan',
  'stats.received': 'Hồ sơ tiếp nhận',
  'stats.finished': 'Đã giải quyết',
  'stats.onTime': 'Đúng hạn',
  'stats.points': 'Điểm',
  'stats.figures': 'Chi tiết các chỉ tiêu toàn tỉnh',
  'stats.figuresCaption': 'Các chỉ tiêu QĐ 766 toàn tỉnh, năm {year}',
  'stats.indicator': 'Chỉ tiêu',
  'stats.ratio': 'Tỷ lệ',
  'stats.noData': 'chưa có số liệu',
  'stats.province': 'Toàn tỉnh',
  'stats.title': 'Thống kê năm {year}',
  'stats.description':
    'Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766) và tỷ lệ giải quyết đúng hạn theo cơ quan.',

  // Error pages
  'error.home': 'Về trang chủ',
  'error.find': 'Tìm thủ tục',
  'error.400.title': 'Yêu cầu không hợp lệ',
  'error.400.message': 'Địa chỉ trang có tham số không hợp lệ. Vui lòng tìm lại từ trang chủ.',
  'error.403.title': 'Không gửi được biểu mẫu',
  'error.404.title': 'Không tìm thấy trang',
  'error.404.message': 'Trang bạn tìm không có hoặc đã được chuyển đi.',
  'error.429.title': 'Quá nhiều yêu cầu',
  'error.429.message': 'Bạn đã gửi quá nhiều yêu cầu trong một phút. Vui lòng thử lại sau ít phút.',
  'error.429.lookupTitle': 'Quá nhiều lượt tra cứu',
  'error.429.lookupMessage': 'Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút.',
  'error.500.title': 'Có lỗi xảy ra',
  'error.500.message': 'Hệ thống đang gặp sự cố. Vui lòng thử lại sau.',

  // Account pages
  'account.login': 'Số điện thoại hoặc thư điện tử',
  'account.password': 'Mật khẩu',
  'account.fullName': 'Họ và tên',
  'account.phone': 'Số điện thoại',
  'account.email': 'Thư điện tử',
  'account.idNo': 'Số CCCD',
  'account.idNoHint': '12 chữ số. Cần để xem kho dữ liệu.',
  'account.address': 'Địa chỉ',
  'account.passwordHint': 'Ít nhất 10 ký tự, có chữ cái và chữ số.',
  'account.newPassword': 'Mật khẩu mới',
  'account.confirm': 'Nhập lại mật khẩu mới',
  'signIn.title': 'Đăng nhập',
  'signIn.submit': 'Đăng nhập',
  'signIn.forgot': 'Quên mật khẩu?',
  'signIn.noAccount': 'Chưa có tài khoản?',
  'signIn.toSignUp': 'Đăng ký tài khoản',
  'signIn.or': 'Hoặc',
  'signIn.vneid': 'Đăng nhập bằng VNeID',
  'signIn.vneidHint': 'Dùng tài khoản định danh điện tử quốc gia (VNeID).',
  'signIn.passwordChanged': 'Đã đặt mật khẩu mới. Vui lòng đăng nhập.',
  'signUp.title': 'Đăng ký tài khoản',
  'signUp.intro': 'Cần số điện thoại hoặc thư điện tử (hoặc cả hai) để đăng nhập.',
  'signUp.submit': 'Đăng ký',
  'signUp.haveAccount': 'Đã có tài khoản?',
  'signUp.toSignIn': 'Đăng nhập',
  'signOut.title': 'Đăng xuất',
  'signOut.question': 'Bạn muốn đăng xuất khỏi Cổng dịch vụ công trên thiết bị này?',
  'signOut.submit': 'Đăng xuất',
  'account.back': 'Quay lại trang tài khoản',
  'forgot.title': 'Quên mật khẩu',
  'forgot.sent':
    'Nếu thư điện tử này đã đăng ký tài khoản, chúng tôi đã gửi một liên kết đặt lại mật khẩu đến hộp thư. Liên kết chỉ dùng được một lần và có thời hạn.',
  'forgot.intro': 'Nhập thư điện tử của tài khoản. Chúng tôi gửi liên kết để đặt mật khẩu mới.',
  'forgot.submit': 'Gửi liên kết',
  'forgot.back': 'Quay lại đăng nhập',
  'reset.title': 'Đặt lại mật khẩu',
  'reset.submit': 'Đặt mật khẩu mới',
  'reset.again': 'Gửi lại liên kết',
  'profile.title': 'Tài khoản',
  'profile.h1': 'Tài khoản của {name}',
  'profile.saved': 'Đã lưu thông tin cá nhân.',
  'profile.created': 'Ngày tạo tài khoản',
  'profile.signsInWith': 'Đăng nhập bằng',
  'profile.withPassword': 'mật khẩu',
  'profile.details': 'Thông tin cá nhân',
  'profile.save': 'Lưu thông tin',
  'store.title': 'Kho dữ liệu',
  'store.h1': 'Kho dữ liệu của tôi',
  'store.intro': 'Giấy tờ đã số hóa và kết quả giải quyết trước đây, dùng lại khi nộp hồ sơ mới.',
  'store.noIdBefore': 'Cần khai báo số CCCD trong ',
  'store.noIdLink': 'thông tin cá nhân',
  'store.noIdAfter': ' để xem kho dữ liệu.',
  'store.empty':
    'Kho dữ liệu chưa có giấy tờ nào. Giấy tờ đã nộp và kết quả giải quyết hồ sơ sẽ được lưu tại đây.',
  'store.component': 'Giấy tờ đã nộp',
  'store.result': 'Kết quả giải quyết',
  'store.dossier': 'hồ sơ {code}',
  'store.saved': 'lưu ngày {date}',
  'store.validUntil': 'còn hiệu lực đến {date}',

  // Form validation (the server maps Zod issues and contract messages to these)
  'invalid.login': 'Nhập số điện thoại hoặc thư điện tử',
  'invalid.password': 'Nhập mật khẩu',
  'invalid.newPassword': 'Nhập mật khẩu mới',
  'invalid.fullName': 'Họ và tên cần từ 2 đến 200 ký tự',
  'invalid.email': 'Thư điện tử không hợp lệ',
  'invalid.phone': 'Số điện thoại không hợp lệ',
  'invalid.idNo': 'Số CCCD gồm 12 chữ số',
  'invalid.address': 'Địa chỉ tối đa 500 ký tự',
  'invalid.passwordLength': 'Mật khẩu cần ít nhất 10 ký tự',
  'invalid.passwordLetter': 'Mật khẩu cần có chữ cái',
  'invalid.passwordDigit': 'Mật khẩu cần có chữ số',
  'invalid.contact': 'Cần số điện thoại hoặc thư điện tử',
  'invalid.resetLink': 'Liên kết đặt lại mật khẩu không hợp lệ',
  'invalid.confirm': 'Mật khẩu nhập lại không khớp',
  'invalid.other': 'Giá trị không hợp lệ',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof vi;
export type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  'site.name': 'Public service portal',
  'layout.skip': 'Skip to main content',
  'layout.nav': 'Main navigation',
  'layout.footer': '{site} — the CongVu system. These pages work without JavaScript.',
  'layout.staff': 'Officials: sign in to the management system',
  'layout.switch': 'Tiếng Việt',
  'nav.home': 'Home',
  'nav.catalogue': 'Administrative procedures',
  'nav.lookup': 'Dossier lookup',
  'nav.stats': 'Statistics',
  'nav.signIn': 'Sign in',
  'nav.account': 'Account',
  'nav.signOut': 'Sign out',
  'nav.notices': 'Notifications',
  'nav.mine': 'My dossiers',
  'nav.unread': '{n} unread',
  'profile.notifyH2': 'Notifications about dossiers',
  'profile.notifyLegend': 'Besides Notifications on the portal, also send them by:',
  'profile.notifyEmail': 'E-mail',
  'profile.notifySms': 'SMS text message',
  'profile.notifySave': 'Save notification settings',
  'profile.idH2': 'Electronic identity account (VNeID)',
  'profile.linked': 'Linked with {issuer} since {date}.',
  'profile.unlink': 'Unlink',
  'profile.unlinkNeedsPassword':
    'This account has no password, so it cannot be unlinked (it needs a way to sign in).',
  'profile.notLinked': 'No electronic identity account linked.',
  'profile.link': 'Link a VNeID account',

  'level.central': 'Central level',
  'level.province': 'Provincial level',
  'level.commune': 'Commune level',
  'online.full': 'Full online public service',
  'online.partial': 'Partial online public service',
  'channel.1': 'At the counter',
  'channel.2': 'Online',
  'channel.3': 'By post',
  'channel.other': 'Channel {n}',
  'unit.working_days': 'working days',
  'unit.working_hours': 'working hours',
  'unit.calendar_days': 'days',
  'feeWhen.before': 'paid at reception',
  'feeWhen.after': 'paid at delivery',
  'feeWhen.exempt': 'exempt',
  'feeWhen.none': 'not charged',

  'home.title': 'Home',
  'home.description':
    'Public service portal: administrative procedures, papers, fees and charges, processing times; the status of a dossier.',
  'home.h1': 'Find administrative procedures, follow your dossier',
  'home.intro':
    'Find the procedure you need (with or without Vietnamese accents) and see the papers, fees and charges, processing time and where to submit.',
  'home.waysIn': 'You want to',
  'home.toCatalogue': 'Browse the {n} administrative procedures',
  'home.toLookup': 'Check the status of a dossier you submitted',
  'home.toStats': 'See the citizen and business service index',
  'home.bySector': 'Procedures by sector',

  'search.q': 'Procedure name or code',
  'search.placeholder': 'for example: dang ky khai sinh',
  'search.sector': 'Sector',
  'search.allSectors': 'All sectors',
  'search.agency': 'Handling agency',
  'search.allAgencies': 'All agencies',
  'search.level': 'Level',
  'search.allLevels': 'All levels',
  'search.submit': 'Search',
  'catalogue.h1': 'Administrative procedures',
  'catalogue.title.search': 'Procedure search: {q}',
  'catalogue.description':
    'The administrative procedure catalogue: search by name, sector, agency and level.',
  'catalogue.count': 'Procedures found: {n}',
  'catalogue.countFor': 'Procedures found for “{q}”: {n}',
  'catalogue.code': 'Code {code}',
  'catalogue.empty': 'No procedure matches. Try fewer words or fewer filters.',
  'catalogue.pager': 'Pages',
  'catalogue.prev': 'Previous page',
  'catalogue.next': 'Next page',
  'catalogue.pageOf': 'Page {page} of {pages}',

  'proc.crumbs': 'Breadcrumb',
  'proc.code': 'Procedure code',
  'proc.sector': 'Sector',
  'proc.level': 'Level',
  'proc.online': 'Online service level',
  'proc.applicants': 'Who may apply',
  'proc.validFrom': 'In force from',
  'proc.submitOnline': 'Submit online',
  'proc.offline': 'This procedure is submitted in person or by post at the receiving agency below.',
  'proc.where': 'Where to submit',
  'proc.whereDefault': 'The one-stop shop where you live.',
  'proc.case': 'Case {n}: {name}',
  'proc.howTo': 'How to apply',
  'proc.timeFees': 'Processing time and fees by channel',
  'proc.timeFeesCaption': 'Processing time and fees by channel',
  'proc.channel': 'Channel',
  'proc.duration': 'Processing time',
  'proc.fees': 'Fees and charges',
  'proc.noFees': 'No fees or charges',
  'proc.steps': 'Steps',
  'proc.components': 'Papers to submit',
  'proc.componentsCaption': 'Papers required',
  'proc.paper': 'Paper',
  'proc.quantity': 'Number',
  'proc.form': 'Form',
  'proc.ifAny': '(if any)',
  'proc.altGroup': '(or another paper of group {g})',
  'proc.download': 'Download form',
  'proc.formAtCounter': '(available where you submit)',
  'proc.noComponents': 'No papers required.',
  'proc.originals': 'originals: {n}',
  'proc.certified': 'certified copies: {n}',
  'proc.copies': 'copies: {n}',
  'proc.conditions': 'Requirements and conditions',
  'proc.results': 'Results',
  'proc.legal': 'Legal basis',
  'proc.announcer': 'Announced by:',
  'proc.description': '{name}: papers to submit, fees and charges, processing time, where to submit.',
  'submit.title': 'Submit online: {name}',
  'submit.soon':
    'Online submission is not available yet. Meanwhile, please submit your dossier at the one-stop shop.',
  'submit.back': 'Back to the procedure',

  'lookup.h1': 'Dossier lookup',
  'lookup.intro': 'Enter the dossier code and the lookup code printed on your receipt and appointment slip.',
  'lookup.description':
    'Check the status of an administrative procedure dossier with its dossier code and lookup code.',
  'lookup.code': 'Dossier code',
  'lookup.codeHint': 'Printed on the receipt and appointment slip.',
  'lookup.secret': 'Lookup code',
  'lookup.secretHint':
    'Printed on the receipt, next to the QR code. Scanning the QR code opens this page directly.',
  'lookup.submit': 'Look up',
  'lookup.dossier': 'Dossier {code}',
  'lookup.status': 'Status: {label}',
  'lookup.next': 'What you need to do:',
  'lookup.procedure': 'Procedure',
  'lookup.received': 'Received on',
  'lookup.due': 'Result due',
  'lookup.finished': 'Processed on',
  'lookup.delivered': 'Result delivered on',
  'lookup.history': 'Steps so far',
  'lookup.notFound': 'Dossier not found',
  'lookup.notFoundText':
    'No dossier matches this dossier code and lookup code. Please check both codes on your receipt.',
  'next.1': 'Your dossier is registered and waits for an officer to check it. Nothing to do yet.',
  'next.2': 'Your dossier was received. Wait for the result by the appointment date.',
  'next.3': 'Your dossier was not accepted. See the refusal slip or ask the one-stop shop for the reason.',
  'next.4': 'Your dossier is being processed. Wait for the result by the appointment date.',
  'next.5':
    'You need to add papers as the supplement request says, at the one-stop shop where you submitted the dossier.',
  'next.6':
    'You need to pay the fees or meet the financial obligation as notified, then bring the receipt to the one-stop shop.',
  'next.7': 'Your dossier was withdrawn at your request. Nothing more to do.',
  'next.8': 'Processing of your dossier has stopped. Ask the one-stop shop for the reason.',
  'next.9': 'Your dossier is processed. Bring the receipt and appointment slip to collect the result.',
  'next.10': 'You have received the result. The dossier is complete.',
  'next.other': 'Ask the one-stop shop where you submitted the dossier.',

  'stats.h1': 'Citizen and business service index, {year}',
  'stats.intro':
    'Under Decision 766/QĐ-TTg: points scored out of the points of the indicators that could be computed, and the share of dossiers processed on time.',
  'stats.year': 'Year',
  'stats.show': 'Show',
  'stats.chartScore': 'QĐ 766 index score by agency, {year}',
  'stats.chartOnTime': 'Dossiers processed on time by agency, {year}',
  'stats.byAgency': 'Figures by agency',
  'stats.byAgencyCaption': 'QĐ 766 index and dossiers by agency, {year}',
  'stats.agency': 'Agency',
  'stats.received': 'Dossiers received',
  'stats.finished': 'Processed',
  'stats.onTime': 'On time',
  'stats.points': 'Points',
  'stats.figures': 'Province-wide indicators',
  'stats.figuresCaption': 'QĐ 766 indicators for the whole province, {year}',
  'stats.indicator': 'Indicator',
  'stats.ratio': 'Ratio',
  'stats.noData': 'no data yet',
  'stats.province': 'Whole province',
  'stats.title': 'Statistics {year}',
  'stats.description': 'The citizen and business service index (QĐ 766) and the on-time rate by agency.',

  'error.home': 'Home page',
  'error.find': 'Find a procedure',
  'error.400.title': 'Bad request',
  'error.400.message': 'The page address has an invalid parameter. Please start again from the home page.',
  'error.403.title': 'The form could not be sent',
  'error.404.title': 'Page not found',
  'error.404.message': 'The page you are looking for does not exist or has moved.',
  'error.429.title': 'Too many requests',
  'error.429.message': 'You sent too many requests in one minute. Please try again in a few minutes.',
  'error.429.lookupTitle': 'Too many lookups',
  'error.429.lookupMessage': 'You looked up too many times in one minute. Please try again in a few minutes.',
  'error.500.title': 'Something went wrong',
  'error.500.message': 'The system has a problem. Please try again later.',

  'account.login': 'Phone number or e-mail',
  'account.password': 'Password',
  'account.fullName': 'Full name',
  'account.phone': 'Phone number',
  'account.email': 'E-mail',
  'account.idNo': 'Citizen ID number (CCCD)',
  'account.idNoHint': '12 digits. Needed to see your data store.',
  'account.address': 'Address',
  'account.passwordHint': 'At least 10 characters, with letters and digits.',
  'account.newPassword': 'New password',
  'account.confirm': 'New password again',
  'signIn.title': 'Sign in',
  'signIn.submit': 'Sign in',
  'signIn.forgot': 'Forgot your password?',
  'signIn.noAccount': 'No account yet?',
  'signIn.toSignUp': 'Create an account',
  'signIn.or': 'Or',
  'signIn.vneid': 'Sign in with VNeID',
  'signIn.vneidHint': 'Use your national electronic identity account (VNeID).',
  'signIn.passwordChanged': 'Your new password is set. Please sign in.',
  'signUp.title': 'Create an account',
  'signUp.intro': 'You need a phone number or an e-mail address (or both) to sign in.',
  'signUp.submit': 'Create the account',
  'signUp.haveAccount': 'Already have an account?',
  'signUp.toSignIn': 'Sign in',
  'signOut.title': 'Sign out',
  'signOut.question': 'Sign out of the public service portal on this device?',
  'signOut.submit': 'Sign out',
  'account.back': 'Back to your account',
  'forgot.title': 'Forgotten password',
  'forgot.sent':
    'If this e-mail address has an account, we have sent it a link to reset the password. The link works once and expires.',
  'forgot.intro': "Enter your account's e-mail address. We will send a link to set a new password.",
  'forgot.submit': 'Send the link',
  'forgot.back': 'Back to sign-in',
  'reset.title': 'Reset your password',
  'reset.submit': 'Set the new password',
  'reset.again': 'Send a new link',
  'profile.title': 'Account',
  'profile.h1': 'Account of {name}',
  'profile.saved': 'Your personal details are saved.',
  'profile.created': 'Account created on',
  'profile.signsInWith': 'Signs in with',
  'profile.withPassword': 'password',
  'profile.details': 'Personal details',
  'profile.save': 'Save',
  'store.title': 'Data store',
  'store.h1': 'My data store',
  'store.intro': 'Your digitised papers and past results, to reuse when you submit a new dossier.',
  'store.noIdBefore': 'Add your citizen ID number to your ',
  'store.noIdLink': 'personal details',
  'store.noIdAfter': ' to see your data store.',
  'store.empty':
    'Your data store is empty. Papers you submit and the results of your dossiers will be kept here.',
  'store.component': 'Submitted paper',
  'store.result': 'Result',
  'store.dossier': 'dossier {code}',
  'store.saved': 'saved on {date}',
  'store.validUntil': 'valid until {date}',

  'invalid.login': 'Enter a phone number or an e-mail address',
  'invalid.password': 'Enter the password',
  'invalid.newPassword': 'Enter a new password',
  'invalid.fullName': 'The full name needs 2 to 200 characters',
  'invalid.email': 'Invalid e-mail address',
  'invalid.phone': 'Invalid phone number',
  'invalid.idNo': 'The citizen ID number has 12 digits',
  'invalid.address': 'The address has at most 500 characters',
  'invalid.passwordLength': 'The password needs at least 10 characters',
  'invalid.passwordLetter': 'The password needs a letter',
  'invalid.passwordDigit': 'The password needs a digit',
  'invalid.contact': 'A phone number or an e-mail address is needed',
  'invalid.resetLink': 'The reset link is invalid',
  'invalid.confirm': 'The two passwords differ',
  'invalid.other': 'Invalid value',
};

const DICTIONARIES: Record<Lang, Dictionary> = { vi, en };

/** The dictionary of a language (Vietnamese when absent). */
export function t(lang: Lang | undefined): Dictionary {
  return DICTIONARIES[lang ?? 'vi'];
}

/** Fills `{name}` placeholders; an unknown name stays as written. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

const TZ = 'Asia/Ho_Chi_Minh';
const dateFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

/** dd/MM/yyyy in both languages (the legal format) of an instant (ISO, Việt Nam time) or a day (yyyy-mm-dd). */
export function formatDate(v: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-');
    return `${d}/${m}/${y}`;
  }
  return dateFmt.format(new Date(v));
}

/** HH:mm dd/MM/yyyy of an instant, Việt Nam time. */
export function formatDateTime(v: string): string {
  const d = new Date(v);
  return `${timeFmt.format(d)} ${dateFmt.format(d)}`;
}

/** vi 1.234,5 — en 1,234.5 */
export function formatNumber(n: number, lang: Lang = 'vi', digits = 0): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits }).format(n);
}

/** vi 1.000.000 đ — en 1,000,000 VND */
export function formatMoney(amount: number, lang: Lang = 'vi'): string {
  return lang === 'en' ? `${formatNumber(amount, 'en')} VND` : `${formatNumber(amount, 'vi')} đ`;
}

/** vi 12,5% — en 12.5%; a dash for no value. */
export function formatPercent(ratio: number | null, lang: Lang = 'vi'): string {
  return ratio === null ? '—' : `${formatNumber(ratio * 100, lang, 1)}%`;
}

/** A key built at run time (`channel.${n}`), or undefined when the dictionary has none. */
export function maybe(d: Dictionary, key: string): string | undefined {
  return Object.hasOwn(d, key) ? d[key as MessageKey] : undefined;
}

/** ` lang="vi"` on an element holding stored (Vietnamese) data inside an English page (WCAG 3.1.2). */
export function dataLang(lang: Lang | undefined): Html | '' {
  return lang === 'en' ? raw(' lang="vi"') : '';
}

/** Stored (Vietnamese) text inside running English text: a `<span lang="vi">`; as is on Vietnamese pages. */
export function viSpan(lang: Lang | undefined, text: string): Html | string {
  return lang === 'en' ? html`<span lang="vi">${text}</span>` : text;
}
