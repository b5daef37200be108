/**
 * Stable error codes. The server answers `{ code, message, details? }` with the Vietnamese
 * message; the web app may show `en` when the user switched language. Never rename a code.
 */
export const ERRORS = {
  VALIDATION_ERROR: { status: 400, vi: 'Dữ liệu gửi lên không hợp lệ', en: 'Invalid input' },
  BAD_REQUEST: { status: 400, vi: 'Yêu cầu không hợp lệ', en: 'Bad request' },
  UNAUTHENTICATED: { status: 401, vi: 'Vui lòng đăng nhập', en: 'Please sign in' },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng',
    en: 'Wrong username or password',
  },
  AUTH_TOTP_REQUIRED: {
    status: 401,
    vi: 'Cần nhập mã xác thực hai lớp',
    en: 'A two-factor code is required',
  },
  AUTH_TOTP_INVALID: { status: 401, vi: 'Mã xác thực hai lớp không đúng', en: 'Wrong two-factor code' },
  AUTH_LOCKED: {
    status: 423,
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau',
    en: 'Account temporarily locked after repeated failures',
  },
  AUTH_ACCOUNT_DISABLED: { status: 403, vi: 'Tài khoản đã bị vô hiệu hóa', en: 'Account disabled' },
  AUTH_WRONG_PASSWORD: { status: 400, vi: 'Mật khẩu hiện tại không đúng', en: 'Current password is wrong' },
  AUTH_TOKEN_INVALID: { status: 401, vi: 'Mã truy cập hệ thống không hợp lệ', en: 'Invalid API token' },
  FORBIDDEN: { status: 403, vi: 'Bạn không có quyền thực hiện thao tác này', en: 'Access denied' },
  RATE_LIMITED: { status: 429, vi: 'Quá nhiều yêu cầu, vui lòng thử lại sau', en: 'Too many requests' },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy', en: 'Not found' },
  AGENCY_NOT_FOUND: { status: 404, vi: 'Không tìm thấy cơ quan, đơn vị', en: 'Agency not found' },
  AGENCY_CODE_TAKEN: {
    status: 409,
    vi: 'Mã định danh đã được dùng cho cơ quan khác',
    en: 'Agency code already in use',
  },
  AGENCY_PARENT_INVALID: {
    status: 400,
    vi: 'Cơ quan cấp trên không hợp lệ hoặc đã ngừng hoạt động',
    en: 'Invalid parent agency',
  },
  AGENCY_INACTIVE: {
    status: 409,
    vi: 'Cơ quan đã ngừng hoạt động tại ngày hiệu lực',
    en: 'Agency is not active at that date',
  },
  DEPARTMENT_NOT_FOUND: { status: 404, vi: 'Không tìm thấy phòng, ban', en: 'Department not found' },
  POSITION_NOT_FOUND: { status: 404, vi: 'Không tìm thấy chức vụ', en: 'Position not found' },
  OFFICIAL_NOT_FOUND: { status: 404, vi: 'Không tìm thấy cán bộ', en: 'Official not found' },
  USERNAME_TAKEN: { status: 409, vi: 'Tên đăng nhập đã tồn tại', en: 'Username already taken' },
  DELEGATION_NOT_FOUND: { status: 404, vi: 'Không tìm thấy ủy quyền', en: 'Delegation not found' },
  DELEGATION_INVALID: {
    status: 400,
    vi: 'Ủy quyền không hợp lệ: người ủy quyền không có các vai trò này',
    en: 'Invalid delegation',
  },
  DELEGATION_NOT_ACTIVE: {
    status: 403,
    vi: 'Không có ủy quyền còn hiệu lực từ cán bộ này',
    en: 'No active delegation from this official',
  },
  FILE_TOO_LARGE: { status: 413, vi: 'Tệp vượt quá dung lượng cho phép', en: 'File too large' },
  FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    vi: 'Định dạng tệp không được hỗ trợ (chỉ nhận PDF, DOCX, XLSX, JPG, PNG, ZIP)',
    en: 'File type not allowed (PDF, DOCX, XLSX, JPG, PNG, ZIP only)',
  },
  FILE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy tệp', en: 'File not found' },
  HOLIDAY_NOTICE_EXISTS: {
    status: 409,
    vi: 'Ngày này đã có trong thông báo nghỉ lễ',
    en: 'A notice already exists for that date',
  },
  DOCUMENT_NOT_FOUND: { status: 404, vi: 'Không tìm thấy văn bản', en: 'Document not found' },
  DOCUMENT_TYPE_UNKNOWN: {
    status: 400,
    vi: 'Tên loại văn bản không có trong danh mục hoặc đã hết hiệu lực',
    en: 'Unknown or expired document type',
  },
  TRUST_ANCHOR_INVALID: {
    status: 400,
    vi: 'Không đọc được chứng thư số gốc (cần một chứng thư PEM của tổ chức cung cấp dịch vụ chứng thực)',
    en: 'Unreadable root certificate (a PEM certificate of a certification authority is needed)',
  },
  TRUST_ANCHOR_NOT_CA: {
    status: 400,
    vi: 'Chứng thư số này không phải của một tổ chức chứng thực (CA), không thể làm chứng thư gốc tin cậy',
    en: 'This certificate is not a certification authority and cannot be a trust anchor',
  },
  TRUST_ANCHOR_EXISTS: {
    status: 409,
    vi: 'Chứng thư số gốc này đã có trong danh sách tin cậy',
    en: 'Already trusted',
  },
  TRUST_ANCHOR_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy chứng thư số gốc',
    en: 'Trust anchor not found',
  },
  SIGNING_NO_CREDENTIAL: {
    status: 409,
    vi: 'Chưa có chứng thư số để ký (liên hệ quản trị hệ thống để đăng ký chứng thư số)',
    en: 'No signing certificate registered (ask the administrator to register one)',
  },
  SIGNING_PASSWORD_WRONG: {
    status: 400,
    vi: 'Mật khẩu chứng thư số không đúng',
    en: 'Wrong certificate password',
  },
  SIGNING_FILE_NOT_PDF: {
    status: 409,
    vi: 'Chỉ ký số được tệp PDF: hãy cập nhật bản PDF của dự thảo trước khi ký',
    en: 'Only PDF files can be signed: upload the PDF version of the draft first',
  },
  SIGNING_REQUIRED: {
    status: 409,
    vi: 'Văn bản điện tử phải được ký số (mật khẩu chứng thư số hoặc chữ ký từ thiết bị ký số)',
    en: 'An electronic document must be digitally signed (certificate password or a signature from the token)',
  },
  SIGNING_METHOD_MISMATCH: {
    status: 400,
    vi: 'Chứng thư số này ký bằng thiết bị ký số (USB token) của người ký, không dùng mật khẩu trên máy chủ',
    en: 'This certificate signs on the holder’s token, not with a password on the server',
  },
  SIGNING_SESSION_INVALID: {
    status: 400,
    vi: 'Phiên ký số không hợp lệ hoặc đã hết hạn, hãy ký lại',
    en: 'The signing session is invalid or expired; sign again',
  },
  SIGNING_SIGNATURE_INVALID: {
    status: 422,
    vi: 'Chữ ký số không hợp lệ, văn bản chưa được ký',
    en: 'The digital signature is not valid; nothing was signed',
  },
  SIGNING_NOT_SENDABLE: {
    status: 409,
    vi: 'Văn bản chưa thể gửi: cần chữ ký số hợp lệ của người có thẩm quyền và của cơ quan',
    en: 'Not sendable: valid signatures of the competent person and of the agency are required',
  },
  SIGNING_CREDENTIAL_INVALID: {
    status: 400,
    vi: 'Không đọc được chứng thư số (tệp .p12 sai, sai mật khẩu, hoặc chứng thư không dùng để ký)',
    en: 'Unreadable signing certificate (bad .p12, wrong password, or not a signing certificate)',
  },
  SIGNING_CREDENTIAL_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy chứng thư số',
    en: 'Signing certificate not found',
  },
  REGISTER_NOT_FOUND: { status: 404, vi: 'Không tìm thấy sổ đăng ký văn bản', en: 'Register not found' },
  REGISTER_BOOK_TOO_LARGE: {
    status: 400,
    vi: 'Sổ có quá nhiều dòng để in một lần; hãy chọn khoảng ngày hoặc khoảng số nhỏ hơn',
    en: 'Too many rows to print at once; choose a shorter date or number range',
  },
  REGISTER_KIND_MISMATCH: {
    status: 400,
    vi: 'Sổ đăng ký không phù hợp: văn bản mật phải vào sổ mật, văn bản thường vào sổ thường',
    en: 'Wrong register for this document (secret documents go in the secret register)',
  },
  REGISTER_CODE_TAKEN: {
    status: 409,
    vi: 'Mã sổ đã tồn tại trong cơ quan',
    en: 'Register code already used',
  },
  ASSIGNMENT_NOT_FOUND: { status: 404, vi: 'Không tìm thấy phân công', en: 'Assignment not found' },
  ASSIGNMENT_STATE: {
    status: 409,
    vi: 'Phân công đã hoàn thành hoặc đã trả lại, không thể thực hiện thao tác này',
    en: 'The assignment is finished or returned',
  },
  ASSIGNEE_INVALID: {
    status: 400,
    vi: 'Cán bộ hoặc phòng ban được phân công không thuộc cơ quan giữ văn bản',
    en: 'Assignee is not in the agency holding the document',
  },
  DOCUMENT_RETURNED: {
    status: 409,
    vi: 'Văn bản đã bị trả lại nơi gửi, không thể vào sổ',
    en: 'The document was returned to its sender and cannot be registered',
  },
  DOCUMENT_STATE: {
    status: 409,
    vi: 'Văn bản không ở trạng thái cho phép thao tác này',
    en: 'The document is not in a state that allows this',
  },
  DRAFT_FILE_TYPE: {
    status: 400,
    vi: 'Bản dự thảo phải là tệp DOCX hoặc PDF',
    en: 'A draft version must be a DOCX or PDF file',
  },
  REPLACEMENT_INVALID: {
    status: 400,
    vi: 'Văn bản thay thế phải là văn bản đi khác, đã phát hành, còn hiệu lực, của cùng cơ quan',
    en: 'The replacement must be another valid issued document of the same agency',
  },
  NOTATION_INVALID: {
    status: 400,
    vi: 'Không lập được ký hiệu văn bản: thiếu chữ viết tắt của cơ quan hoặc đơn vị soạn thảo',
    en: 'Cannot build the notation: agency or drafting-unit abbreviation missing',
  },
  // Work files (hồ sơ công việc) and the file list (danh mục hồ sơ)
  RETENTION_CLASS_UNKNOWN: {
    status: 400,
    vi: 'Thời hạn bảo quản không có trong danh mục hoặc đã hết hiệu lực',
    en: 'Unknown or expired retention class',
  },
  FILE_LIST_NOT_FOUND: { status: 404, vi: 'Không tìm thấy danh mục hồ sơ', en: 'File list not found' },
  FILE_LIST_EXISTS: {
    status: 409,
    vi: 'Cơ quan đã có danh mục hồ sơ của năm này',
    en: 'The agency already has a file list for that year',
  },
  FILE_LIST_APPROVED: {
    status: 409,
    vi: 'Danh mục hồ sơ đã được duyệt, không thể sửa đổi',
    en: 'The file list is approved and can no longer change',
  },
  FILE_LIST_NOT_APPROVED: {
    status: 409,
    vi: 'Danh mục hồ sơ chưa được duyệt, chưa thể lập hồ sơ theo danh mục',
    en: 'The file list is not approved yet',
  },
  FILE_LIST_EMPTY: { status: 409, vi: 'Danh mục hồ sơ chưa có hồ sơ nào', en: 'The file list is empty' },
  FILE_LIST_ITEM_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy hồ sơ trong danh mục',
    en: 'File list item not found',
  },
  FILE_CODE_TAKEN: {
    status: 409,
    vi: 'Số và ký hiệu hồ sơ đã được dùng trong năm',
    en: 'File code already used that year',
  },
  WORK_FILE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy hồ sơ công việc', en: 'Work file not found' },
  WORK_FILE_ALREADY_OPENED: {
    status: 409,
    vi: 'Hồ sơ này của danh mục đã được lập',
    en: 'A work file was already opened for this item',
  },
  WORK_FILE_CLOSED: {
    status: 409,
    vi: 'Hồ sơ đã kết thúc, không thể thay đổi',
    en: 'The work file is closed and cannot change',
  },
  WORK_FILE_NOT_CLOSED: { status: 409, vi: 'Hồ sơ chưa kết thúc', en: 'The work file is not closed' },
  WORK_FILE_DEPOSITED: {
    status: 409,
    vi: 'Hồ sơ đã nộp lưu vào Lưu trữ cơ quan',
    en: 'The work file was already deposited',
  },
  WORK_FILE_DEPOSIT_NOT_REQUIRED: {
    status: 409,
    vi: 'Hồ sơ có thời hạn bảo quản dưới 05 năm, không thuộc diện nộp lưu',
    en: 'Files kept less than 5 years are not deposited',
  },
  WORK_FILE_DATE_INVALID: {
    status: 400,
    vi: 'Ngày không hợp lệ: không được sau hôm nay hoặc trước ngày bắt đầu, kết thúc của hồ sơ',
    en: 'Invalid date: in the future or before the file started or ended',
  },
  WORK_FILE_OWNER_INVALID: {
    status: 400,
    vi: 'Người lập hồ sơ hoặc đơn vị không thuộc cơ quan lập hồ sơ',
    en: 'The file owner or unit is not in the agency',
  },
  WORK_FILE_DOCUMENT_AGENCY: {
    status: 400,
    vi: 'Văn bản không thuộc cơ quan lập hồ sơ',
    en: 'The document belongs to another agency',
  },
  WORK_FILE_NOTE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy ghi chú', en: 'Note not found' },
  // The procedure catalogue (thủ tục hành chính).
  PROCEDURE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy thủ tục hành chính', en: 'Procedure not found' },
  PROCEDURE_CODE_TAKEN: {
    status: 409,
    vi: 'Mã thủ tục đã có trong danh mục; hãy tạo phiên bản mới',
    en: 'The procedure code exists; create a new version instead',
  },
  PROCEDURE_SECTOR_UNKNOWN: { status: 400, vi: 'Lĩnh vực không có trong danh mục', en: 'Unknown sector' },
  PROCEDURE_SECTOR_EXISTS: { status: 409, vi: 'Mã lĩnh vực đã có', en: 'Sector code already exists' },
  PROCEDURE_AGENCY_UNKNOWN: {
    status: 400,
    vi: 'Cơ quan thực hiện không có trong danh mục cơ quan',
    en: 'Unknown implementing agency',
  },
  PROCEDURE_WORKFLOW_INVALID: {
    status: 400,
    vi: 'Quy trình xử lý không hợp lệ',
    en: 'Invalid processing workflow',
  },
  PROCEDURE_VERSION_INVALID: {
    status: 409,
    vi: 'Không thể tạo phiên bản từ ngày này: đã có phiên bản bắt đầu từ ngày đó hoặc muộn hơn',
    en: 'A version starting on or after that day exists',
  },
  PROCEDURE_IN_USE: {
    status: 409,
    vi: 'Thủ tục đã có hồ sơ; không sửa trực tiếp được, hãy tạo phiên bản mới',
    en: 'Dossiers use this version; create a new version instead',
  },
  PROCEDURE_NOT_IN_FORCE: {
    status: 409,
    vi: 'Thủ tục chưa công bố hoặc không còn hiệu lực vào ngày này',
    en: 'The procedure is not published or not in force on that day',
  },
  PROCEDURE_CASE_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy trường hợp của thủ tục',
    en: 'Case not found',
  },
  PROCEDURE_CHANNEL_UNAVAILABLE: {
    status: 409,
    vi: 'Thủ tục không tiếp nhận qua kênh này',
    en: 'The procedure is not offered on this channel',
  },
  NOTIFICATION_NOT_FOUND: { status: 404, vi: 'Không tìm thấy thông báo', en: 'Notification not found' },
  // The exchange hub (trục liên thông). axisCode: the LGSP/axis error number the same refusal
  // carries on the national axis (15 authentication, 18 recipient, 19 sender, 22 envelope).
  EXCHANGE_NOT_CONNECTED: {
    status: 409,
    vi: 'Hệ thống chưa được kết nối với trục liên thông',
    en: 'This installation is not connected to an exchange hub',
  },
  EXCHANGE_MESSAGE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy gói tin', en: 'Envelope not found' },
  EXCHANGE_ALREADY_SENT: {
    status: 409,
    vi: 'Gói tin đã được gửi lên trục liên thông',
    en: 'The envelope has already been sent to the hub',
  },
  EXCHANGE_NO_RECALL_REQUEST: {
    status: 409,
    vi: 'Không có đề nghị thu hồi nào đang chờ trả lời cho văn bản này',
    en: 'There is no recall request waiting for an answer on this document',
  },
  EXCHANGE_NO_UPDATE_REQUEST: {
    status: 409,
    vi: 'Không có đề nghị cập nhật nào đang chờ trả lời cho văn bản này',
    en: 'There is no update request waiting for an answer on this document',
  },
  HUB_AUTH_FAILED: {
    status: 401,
    vi: 'Xác thực hệ thống không thành công (sai mã hệ thống, chữ ký yêu cầu hoặc hệ thống đã bị khóa)',
    en: 'System authentication failed (unknown or inactive system, or bad request signature)',
    axisCode: 15,
  },
  HUB_REQUEST_STALE: {
    status: 401,
    vi: 'Yêu cầu quá hạn: thời điểm ký lệch quá 5 phút so với giờ của trục',
    en: 'Stale request: its timestamp is more than 5 minutes from the hub clock',
    axisCode: 15,
  },
  HUB_REQUEST_REPLAYED: {
    status: 401,
    vi: 'Yêu cầu bị gửi lặp lại (mã dùng một lần đã được sử dụng)',
    en: 'Replayed request: the nonce was already used',
    axisCode: 15,
  },
  HUB_AGENCY_NOT_ALLOWED: {
    status: 403,
    vi: 'Hệ thống không được phép nhận thay cho cơ quan này',
    en: 'The system does not act for this agency',
    axisCode: 15,
  },
  HUB_SENDER_NOT_ALLOWED: {
    status: 403,
    vi: 'Cơ quan gửi chưa đăng ký với trục hoặc hệ thống không được phép gửi thay cơ quan này',
    en: 'The sending agency is not registered for this system',
    axisCode: 19,
  },
  HUB_RECIPIENT_UNKNOWN: {
    status: 422,
    vi: 'Cơ quan nhận không tồn tại hoặc đã ngừng kết nối với trục',
    en: 'Unknown or inactive recipient agency',
    axisCode: 18,
  },
  HUB_ENVELOPE_INVALID: {
    status: 422,
    vi: 'Gói tin edXML không đúng quy chuẩn (QCVN 102:2016)',
    en: 'The edXML envelope does not conform (QCVN 102:2016)',
    axisCode: 22,
  },
  HUB_MESSAGE_KEY_REUSED: {
    status: 409,
    vi: 'Mã gói tin (X-Message-Key) đã được dùng cho một gói tin khác',
    en: 'The message key was already used for a different envelope',
  },
  HUB_MESSAGE_NOT_FOUND: { status: 404, vi: 'Không tìm thấy gói tin', en: 'Message not found' },
  HUB_AGENCY_EXISTS: {
    status: 409,
    vi: 'Mã định danh đã được đăng ký trên trục',
    en: 'Agency code already registered at the hub',
  },
  HUB_AGENCY_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy cơ quan trên trục',
    en: 'Agency not registered at the hub',
  },
  HUB_SYSTEM_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy hệ thống kết nối',
    en: 'Connected system not found',
  },
  HUB_AGENCY_PARENT_INVALID: {
    status: 422,
    vi: 'Cơ quan chủ quản không hợp lệ (chính cơ quan này hoặc một cơ quan trực thuộc nó)',
    en: 'Invalid parent agency (the agency itself or one of its subordinates)',
  },
  HUB_DEAD_LETTER_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy thư lỗi (có thể đã được gửi lại hoặc đã được nhận)',
    en: 'Dead letter not found (it may have been requeued or delivered already)',
  },
  DOSSIER_NOT_FOUND: { status: 404, vi: 'Không tìm thấy hồ sơ', en: 'Dossier not found' },
  DOSSIER_FORM_UNAVAILABLE: {
    status: 409,
    vi: 'Hồ sơ chưa có thông tin để lập phiếu này',
    en: 'The dossier has nothing this form could show yet',
  },
  DOSSIER_FORM_SIGN_FORBIDDEN: {
    status: 403,
    vi: 'Chỉ cán bộ tiếp nhận hoặc xử lý hồ sơ của cơ quan lập phiếu mới được ký số phiếu bằng chữ ký của cơ quan',
    en: 'Only a counter or processing officer of the agency that issues the form may sign it with the agency signature',
  },
  DOSSIER_SIGNED_FORM_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy phiếu đã ký số của hồ sơ',
    en: 'Signed form of the dossier not found',
  },
  DOSSIER_BOOK_PERIOD_INVALID: {
    status: 400,
    vi: 'Khoảng thời gian của sổ theo dõi không hợp lệ (từ ngày sau đến ngày, hoặc dài quá 366 ngày)',
    en: 'Invalid tracking-book period (from after to, or longer than 366 days)',
  },
  DVCQG_SYNC_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy bản ghi đồng bộ Cổng Dịch vụ công quốc gia',
    en: 'National portal sync record not found',
  },
  DVCQG_SYNC_NOT_RETRYABLE: {
    status: 409,
    vi: 'Bản ghi này đã gửi thành công hoặc đang gửi, không cần gửi lại',
    en: 'The record was sent or is being sent: nothing to retry',
  },
  STATS_PERIOD_INVALID: {
    status: 422,
    vi: 'Kỳ thống kê không hợp lệ (từ ngày phải trước đến ngày, tối đa 3 năm)',
    en: 'Invalid statistics period (from must not be after to; at most 3 years)',
  },
  STATS_AGENCY_FORBIDDEN: {
    status: 403,
    vi: 'Bạn không có quyền xem số liệu của cơ quan này',
    en: 'You may not see the figures of this agency',
  },
  DOSSIER_PROCEDURE_INVALID: {
    status: 422,
    vi: 'Thủ tục, trường hợp hoặc kênh nộp không áp dụng tại cơ quan này vào thời điểm tiếp nhận',
    en: 'The procedure, case or channel does not apply at this agency at this time',
  },
  DOSSIER_AGENCY_REQUIRED: {
    status: 422,
    vi: 'Cần chọn cơ quan tiếp nhận hồ sơ',
    en: 'Choose the receiving agency',
  },
  DOSSIER_STATE_INVALID: {
    status: 409,
    vi: 'Trạng thái hiện tại của hồ sơ không cho phép thao tác này',
    en: 'The dossier is not in a state that allows this',
  },
  DOSSIER_SUPPLEMENT_ONCE: {
    status: 409,
    vi: 'Chỉ được yêu cầu bổ sung, hoàn thiện hồ sơ một lần',
    en: 'A supplement may be requested only once',
  },
  DOSSIER_RATING_ONCE: {
    status: 409,
    vi: 'Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần',
    en: 'This dossier has already been rated (once per dossier)',
  },
  DOSSIER_SUPPLEMENT_EMPTY: {
    status: 400,
    vi: 'Vui lòng chọn ít nhất một tệp giấy tờ bổ sung (PDF, JPG hoặc PNG) hoặc một giấy tờ trong kho dữ liệu',
    en: 'Choose at least one supplement file (PDF, JPG or PNG) or an item of the data store',
  },
  DOSSIER_FILE_TYPE: {
    status: 400,
    vi: 'Chỉ nhận tệp PDF, JPG hoặc PNG',
    en: 'Only PDF, JPG or PNG files are accepted',
  },
  DOSSIER_STEP_INVALID: {
    status: 409,
    vi: 'Bước xử lý không phải bước hiện tại của hồ sơ',
    en: 'Not the current processing step',
  },
  DOSSIER_OFFICIAL_INVALID: {
    status: 422,
    vi: 'Cán bộ được giao không thuộc cơ quan thực hiện bước này',
    en: 'The official does not work at the agency of this step',
  },
  DOSSIER_APOLOGY_LATE: {
    status: 409,
    vi: 'Phiếu xin lỗi phải được lập trước thời hạn trả kết quả',
    en: 'An apology must be issued before the due date',
  },
  DOSSIER_APOLOGY_DATE: {
    status: 422,
    vi: 'Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại',
    en: 'The new due date must be after the current one',
  },
  DOSSIER_ONLINE_NEEDS_ELECTRONIC: {
    status: 409,
    vi: 'Trả kết quả trực tuyến cần kết quả điện tử có ký số',
    en: 'Online delivery needs a signed electronic result',
  },
  DOSSIER_RESULT_NOT_SIGNED: {
    status: 422,
    vi: 'Tệp kết quả điện tử chưa có chữ ký số hợp lệ, được tin cậy',
    en: 'The electronic result file carries no valid, trusted digital signature',
  },
  DOSSIER_FEE_INVALID: {
    status: 422,
    vi: 'Khoản phí, lệ phí không có trong danh mục của thủ tục',
    en: 'No such fee for this procedure',
  },
  DOSSIER_STORE_ITEM_INVALID: {
    status: 422,
    vi: 'Giấy tờ trong kho dữ liệu không thuộc chủ hồ sơ này',
    en: 'The stored item does not belong to this applicant',
  },
  DOSSIER_STEPS_OPEN: {
    status: 409,
    vi: 'Hồ sơ còn bước xử lý chưa hoàn thành',
    en: 'Some processing steps are not finished',
  },
  DOSSIER_IDEMPOTENCY_CONFLICT: {
    status: 409,
    vi: 'Mã chống gửi trùng đã được dùng cho một hồ sơ khác',
    en: 'The idempotency key was used for another dossier',
  },
  DOSSIER_FEES_UNPAID: {
    status: 422,
    vi: 'Chưa thu đủ phí, lệ phí phải nộp',
    en: 'Fees due now are not paid',
  },
  DOSSIER_PAPER_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy giấy tờ này trong hồ sơ',
    en: 'No such paper in this dossier',
  },
  DOSSIER_PAPER_DIGITISED: {
    status: 409,
    vi: 'Giấy tờ này đã được số hóa (đã có bản điện tử)',
    en: 'This paper is already digitised',
  },
  PAYMENT_DISABLED: {
    status: 503,
    vi: 'Chưa cấu hình cổng thanh toán trực tuyến',
    en: 'Online payment is not configured',
  },
  PAYMENT_NOTHING_DUE: {
    status: 409,
    vi: 'Hồ sơ không còn khoản phí, lệ phí nào phải nộp',
    en: 'Nothing is owed on this dossier',
  },
  PAYMENT_SIGNATURE_INVALID: {
    status: 400,
    vi: 'Chữ ký dữ liệu từ cổng thanh toán không hợp lệ',
    en: 'Invalid payment gateway signature',
  },
  PAYMENT_ORDER_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy giao dịch thanh toán',
    en: 'Payment order not found',
  },
  CITIZEN_INVALID_CREDENTIALS: {
    status: 401,
    vi: 'Số điện thoại, thư điện tử hoặc mật khẩu không đúng',
    en: 'Wrong phone, e-mail or password',
  },
  CITIZEN_LOCKED: {
    status: 423,
    vi: 'Tài khoản tạm khóa do đăng nhập sai nhiều lần, vui lòng thử lại sau',
    en: 'Account temporarily locked after repeated failures',
  },
  CITIZEN_EMAIL_TAKEN: {
    status: 409,
    vi: 'Thư điện tử này đã được dùng cho một tài khoản khác',
    en: 'This e-mail is already used by another account',
  },
  CITIZEN_PHONE_TAKEN: {
    status: 409,
    vi: 'Số điện thoại này đã được dùng cho một tài khoản khác',
    en: 'This phone number is already used by another account',
  },
  CITIZEN_ID_NO_TAKEN: {
    status: 409,
    vi: 'Số CCCD này đã gắn với một tài khoản khác',
    en: 'This citizen ID number belongs to another account',
  },
  CITIZEN_CONTACT_REQUIRED: {
    status: 422,
    vi: 'Tài khoản có mật khẩu cần giữ số điện thoại hoặc thư điện tử để đăng nhập',
    en: 'An account with a password needs a phone number or an e-mail to sign in',
  },
  CITIZEN_RESET_INVALID: {
    status: 400,
    vi: 'Liên kết đặt lại mật khẩu không hợp lệ, đã hết hạn hoặc đã được dùng',
    en: 'The reset link is invalid, expired or already used',
  },
  CITIZEN_ID_NO_REQUIRED: {
    status: 422,
    vi: 'Cần khai báo số CCCD trong hồ sơ cá nhân để xem kho dữ liệu',
    en: 'Add your citizen ID number to your profile to see your data store',
  },
  CITIZEN_OIDC_DISABLED: {
    status: 503,
    vi: 'Đăng nhập qua tài khoản định danh điện tử chưa được cấu hình',
    en: 'Sign-in through the identity provider is not configured',
  },
  CITIZEN_OIDC_STATE_INVALID: {
    status: 400,
    vi: 'Phiên đăng nhập qua tài khoản định danh không hợp lệ hoặc đã hết hạn, vui lòng thử lại',
    en: 'The identity-provider sign-in is invalid or expired; please try again',
  },
  CITIZEN_OIDC_TOKEN_INVALID: {
    status: 401,
    vi: 'Thông tin định danh trả về không hợp lệ (sai chữ ký, bên phát hành, đối tượng, mã nonce hoặc đã hết hạn)',
    en: 'The identity token is invalid (signature, issuer, audience, nonce or expiry)',
  },
  CITIZEN_OIDC_FAILED: {
    status: 502,
    vi: 'Không xác thực được với nhà cung cấp định danh',
    en: 'Sign-in with the identity provider failed',
  },
  CITIZEN_NOTIFICATION_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy thông báo',
    en: 'Notification not found',
  },
  CITIZEN_OIDC_ALREADY_LINKED: {
    status: 409,
    vi: 'Tài khoản định danh này đã được liên kết với một tài khoản khác',
    en: 'This identity is already linked to another account',
  },
  CITIZEN_OIDC_NOT_LINKED: {
    status: 404,
    vi: 'Tài khoản chưa liên kết với tài khoản định danh này',
    en: 'This identity is not linked to the account',
  },
  CITIZEN_PASSWORD_REQUIRED: {
    status: 422,
    vi: 'Chỉ bỏ liên kết được khi tài khoản có mật khẩu để đăng nhập',
    en: 'Unlinking needs a password on the account to sign in',
  },
  PORTAL_CSRF_INVALID: {
    status: 403,
    vi: 'Biểu mẫu đã hết hạn hoặc không được gửi từ Cổng dịch vụ công, vui lòng mở lại trang và gửi lại',
    en: 'The form expired or was not sent from the portal; open the page again and resend',
  },
  SUBMISSION_DRAFT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy hồ sơ nháp',
    en: 'Draft not found',
  },
  SUBMISSION_NOT_ONLINE: {
    status: 422,
    vi: 'Trường hợp này của thủ tục không nộp trực tuyến được',
    en: 'This case of the procedure cannot be submitted online',
  },
  SUBMISSION_FORM_INVALID: {
    status: 400,
    vi: 'Tờ khai còn thông tin chưa hợp lệ, vui lòng kiểm tra lại',
    en: 'The form has invalid or missing values',
  },
  SUBMISSION_COMPONENT_REQUIRED: {
    status: 422,
    vi: 'Còn giấy tờ bắt buộc chưa nộp',
    en: 'A required paper is missing',
  },
  SUBMISSION_ID_NO_REQUIRED: {
    status: 422,
    vi: 'Cần khai báo số CCCD trong hồ sơ cá nhân trước khi nộp hồ sơ trực tuyến',
    en: 'Add your citizen ID number to your profile before submitting online',
  },
  SUBMISSION_ALREADY_SUBMITTED: {
    status: 409,
    vi: 'Hồ sơ nháp này đã được nộp',
    en: 'This draft has already been submitted',
  },
  MEETING_BODY_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy cơ quan, tổ chức họp',
    en: 'Meeting body not found',
  },
  MEETING_NOT_FOUND: { status: 404, vi: 'Không tìm thấy cuộc họp', en: 'Meeting not found' },
  MEETING_MEMBER_NOT_FOUND: { status: 404, vi: 'Không tìm thấy đại biểu', en: 'Member not found' },
  MEETING_RULE_UNKNOWN: {
    status: 422,
    vi: 'Quy tắc biểu quyết không có hoặc chưa có hiệu lực',
    en: 'Unknown voting rule, or not in force',
  },
  MEETING_STATE: {
    status: 409,
    vi: 'Cuộc họp không ở trạng thái cho phép thao tác này',
    en: 'The meeting is not in a state that allows this',
  },
  MEETING_NOT_MEMBER: {
    status: 403,
    vi: 'Bạn không phải thành viên được mời của cuộc họp này',
    en: 'You are not an invited member of this meeting',
  },
  MEETING_NO_QUORUM: {
    status: 409,
    vi: 'Chưa đủ số đại biểu có mặt theo quy định để biểu quyết',
    en: 'No quorum: not enough delegates present to vote',
  },
  MEETING_DOCUMENT_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy tài liệu họp',
    en: 'Meeting document not found',
  },
  SPEAKER_NOT_FOUND: {
    status: 404,
    vi: 'Không tìm thấy lượt đăng ký phát biểu',
    en: 'Speaker request not found',
  },
  SPEAKER_ALREADY_WAITING: {
    status: 409,
    vi: 'Bạn đã đăng ký phát biểu và đang chờ đến lượt',
    en: 'You are already waiting to speak',
  },
  SPEAKER_STATE: {
    status: 409,
    vi: 'Lượt phát biểu không ở trạng thái cho phép thao tác này',
    en: 'The speaker request is not in a state that allows this',
  },
  POLL_NOT_FOUND: { status: 404, vi: 'Không tìm thấy phiếu biểu quyết', en: 'Poll not found' },
  POLL_CLOSED: { status: 409, vi: 'Biểu quyết đã kết thúc', en: 'The poll is closed' },
  POLL_ALREADY_VOTED: { status: 409, vi: 'Bạn đã biểu quyết nội dung này', en: 'You have already voted' },
  POLL_NOT_ELIGIBLE: {
    status: 403,
    vi: 'Chỉ đại biểu có quyền biểu quyết đã điểm danh mới được biểu quyết',
    en: 'Only voting delegates who have checked in may vote',
  },
  POLL_OPTION_INVALID: { status: 422, vi: 'Lựa chọn biểu quyết không hợp lệ', en: 'Invalid poll option' },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống, vui lòng thử lại sau', en: 'Internal error' },
} as const satisfies Record<string, { status: number; vi: string; en: string; axisCode?: number }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}
