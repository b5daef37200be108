import type { StatusCode } from '@congvu/edxml';

/**
 * Which business status (QĐ 28/2018, STANDARDS §1.5) a document's status event sends back to the
 * issuing agency, and the description sent with it. Each is sent once per document.
 */
export const STATUS_FOR_EVENT: Record<
  'received' | 'returned' | 'registered' | 'assigned' | 'in_progress' | 'done',
  { code: StatusCode; description: string }
> = {
  received: { code: '01', description: 'Đã đến - Phần mềm quản lý văn bản đã nhận, văn thư chưa xử lý' },
  returned: { code: '02', description: 'Từ chối tiếp nhận' },
  registered: { code: '03', description: 'Đã tiếp nhận - Văn thư đã vào sổ văn bản đến' },
  assigned: { code: '04', description: 'Phân công - Lãnh đạo đã giao xử lý' },
  in_progress: { code: '05', description: 'Đang xử lý' },
  done: { code: '06', description: 'Hoàn thành' },
};

/** Our document urgency ↔ edXML Priority 0..3 (0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc). */
export const PRIORITY_OF_URGENCY = { normal: 0, urgent: 1, very_urgent: 2, flash: 3 } as const;
export const URGENCY_OF_PRIORITY = ['normal', 'urgent', 'very_urgent', 'flash'] as const;

/** The recipient's answer to a recall request (thu hồi). */
export const RECALL_ANSWER = {
  accepted: {
    code: '15' as StatusCode,
    description: 'Đồng ý thu hồi - văn bản đến đã được hủy trên hệ thống',
  },
  refused: { code: '16' as StatusCode, description: 'Từ chối thu hồi' },
};

/** The recipient's answer to an update (cập nhật, BussinessDocType 2). */
export const UPDATE_ANSWER = {
  accepted: { code: '15' as StatusCode, description: 'Đồng ý cập nhật - văn bản đến đã được cập nhật' },
  refused: { code: '16' as StatusCode, description: 'Từ chối cập nhật' },
};
