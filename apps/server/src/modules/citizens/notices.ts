/**
 * What an applicant is told about a dossier event (pure): the notification centre's title and
 * text, the e-mail and the SMS, in plain Vietnamese with the dossier code, the procedure, what to
 * do and the link. Events a citizen does not need (steps, hand-overs, digitising) give nothing.
 */

export interface DossierNotice {
  eventId: string;
  kind: string;
  at: string;
  note: string | null;
  data: Record<string, unknown>;
  dossierId: string;
  code: string;
  lookupSecret: string;
  citizenId: string | null;
  applicantName: string;
  applicantEmail: string | null;
  applicantPhone: string | null;
  dueAt: string | null;
  procedureName: string;
  agencyName: string | null;
}

export interface NoticeText {
  kind: string;
  title: string;
  /** The centre's text and the e-mail's body (without greeting and link). */
  body: string;
  /** Short enough for an SMS (the link is added after it). */
  short: string;
}

/** The kinds a citizen is told of. */
export const NOTIFIED_KINDS = [
  'submitted',
  'received',
  'refused',
  'supplement_requested',
  'financial_requested',
  'paid_online',
  'done',
  'delivered',
  'withdrawn',
  'apology',
  'stopped',
] as const;

/** dd/MM/yyyy HH:mm in Vietnam's time. */
export function viTime(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

const money = (n: number) => `${n.toLocaleString('vi-VN').replaceAll(',', '.')} đồng`;

export function noticeText(n: DossierNotice): NoticeText | undefined {
  const ref = `Hồ sơ ${n.code} (${n.procedureName})`;
  const by = n.agencyName ? ` tại ${n.agencyName}` : '';
  const str = (k: string) => (typeof n.data[k] === 'string' ? (n.data[k] as string) : undefined);
  const reason = n.note ? ` Lý do: ${n.note}.` : '';
  switch (n.kind) {
    case 'submitted':
      // At the counter (channel 1) "received" follows in the same transaction: that one is told.
      if (n.data.channel === 1) return undefined;
      return {
        kind: n.kind,
        title: `Đã nộp hồ sơ ${n.code}`,
        body: `${ref} đã được gửi tới cơ quan${by}. Cơ quan sẽ kiểm tra và tiếp nhận hoặc trả lời Ông/Bà.`,
        short: `Ho so ${n.code} da duoc gui, cho tiep nhan.`,
      };
    case 'received': {
      const due = str('dueAt') ?? n.dueAt;
      const when = due ? ` Ngày hẹn trả kết quả: ${viTime(due)}.` : '';
      return {
        kind: n.kind,
        title: `Đã tiếp nhận hồ sơ ${n.code}`,
        body: `${ref} đã được tiếp nhận${by}.${when} Ông/Bà không cần làm gì thêm lúc này.`,
        short: `Ho so ${n.code} da duoc tiep nhan.${due ? ` Hen tra: ${viTime(due)}.` : ''}`,
      };
    }
    case 'refused':
      return {
        kind: n.kind,
        title: `Hồ sơ ${n.code} không được tiếp nhận`,
        body: `${ref} không được tiếp nhận.${reason} Ông/Bà có thể chuẩn bị lại và nộp hồ sơ mới.`,
        short: `Ho so ${n.code} khong duoc tiep nhan. Xem ly do tai lien ket.`,
      };
    case 'supplement_requested': {
      const items = Array.isArray(n.data.items) ? (n.data.items as unknown[]).map(String) : [];
      const bring = items.length ? ` Cần bổ sung: ${items.join('; ')}.` : '';
      return {
        kind: n.kind,
        title: `Hồ sơ ${n.code} cần bổ sung`,
        body: `${ref} cần bổ sung, hoàn thiện.${reason}${bring} Thời hạn giải quyết tạm dừng cho đến khi Ông/Bà nộp đủ.`,
        short: `Ho so ${n.code} can bo sung giay to. Xem chi tiet tai lien ket.`,
      };
    }
    case 'financial_requested': {
      const amount = typeof n.data.amount === 'number' ? ` Số tiền: ${money(n.data.amount)}.` : '';
      return {
        kind: n.kind,
        title: `Hồ sơ ${n.code}: cần thực hiện nghĩa vụ tài chính`,
        body: `${ref} cần Ông/Bà thực hiện nghĩa vụ tài chính (nộp thuế, phí, lệ phí).${amount}${reason} Hồ sơ tiếp tục được giải quyết sau khi Ông/Bà nộp xong.`,
        short: `Ho so ${n.code} can nop nghia vu tai chinh. Xem chi tiet tai lien ket.`,
      };
    }
    case 'paid_online': {
      const amount = typeof n.data.amount === 'number' ? ` ${money(n.data.amount)}` : '';
      return {
        kind: n.kind,
        title: `Đã thanh toán trực tuyến hồ sơ ${n.code}`,
        body: `Đã nhận khoản thanh toán trực tuyến${amount} cho ${ref}. Biên lai có trên trang hồ sơ.`,
        short: `Da nhan thanh toan truc tuyen ho so ${n.code}.`,
      };
    }
    case 'done':
      return {
        kind: n.kind,
        title: `Hồ sơ ${n.code} đã có kết quả`,
        body: `${ref} đã giải quyết xong, kết quả sẵn sàng để trả. Ông/Bà mang giấy hẹn (biên nhận) đến nhận kết quả${by}, hoặc xem trên trang hồ sơ nếu có kết quả điện tử.`,
        short: `Ho so ${n.code} da co ket qua. Mang giay hen den nhan.`,
      };
    case 'delivered':
      return {
        kind: n.kind,
        title: `Đã trả kết quả hồ sơ ${n.code}`,
        body: `Kết quả của ${ref} đã được trả. Mời Ông/Bà đánh giá mức độ hài lòng trên trang hồ sơ.`,
        short: `Ho so ${n.code} da tra ket qua.`,
      };
    case 'withdrawn':
      return {
        kind: n.kind,
        title: `Đã rút hồ sơ ${n.code}`,
        body: `${ref} đã được rút theo yêu cầu.${reason}`,
        short: `Ho so ${n.code} da duoc rut.`,
      };
    case 'apology': {
      const due = str('newDueAt');
      return {
        kind: n.kind,
        title: `Hồ sơ ${n.code} trễ hẹn: ngày hẹn mới`,
        body: `Cơ quan xin lỗi vì ${ref} chưa giải quyết kịp hạn.${reason}${due ? ` Ngày hẹn trả kết quả mới: ${viTime(due)}.` : ''}`,
        short: `Xin loi: ho so ${n.code} tre hen.${due ? ` Hen moi: ${viTime(due)}.` : ''}`,
      };
    }
    case 'stopped':
      return {
        kind: n.kind,
        title: `Dừng giải quyết hồ sơ ${n.code}`,
        body: `${ref} đã dừng giải quyết.${reason} Ông/Bà có thể liên hệ cơ quan${by} để biết thêm.`,
        short: `Ho so ${n.code} da dung giai quyet. Xem ly do tai lien ket.`,
      };
    default:
      return undefined;
  }
}

/** Where the notice points: the account's dossier page, or the public lookup with the receipt's secret. */
export function noticeLink(portalUrl: string, n: Pick<DossierNotice, 'citizenId' | 'code' | 'lookupSecret'>) {
  const code = encodeURIComponent(n.code);
  return n.citizenId
    ? `${portalUrl}/cong-dich-vu/ho-so-cua-toi/${code}`
    : `${portalUrl}/cong-dich-vu/tra-cuu?ma=${code}&k=${encodeURIComponent(n.lookupSecret)}`;
}

/** The e-mail's text. */
export function noticeMail(name: string, t: NoticeText, link: string): string {
  return [
    `Kính gửi ${name},`,
    '',
    t.body,
    '',
    `Xem hồ sơ: ${link}`,
    '',
    'Thư này được gửi tự động từ Cổng dịch vụ công; xin đừng trả lời thư.',
  ].join('\n');
}

/** The SMS: unaccented (one GSM-7 segment costs less), the link after it. */
export function noticeSms(t: NoticeText, link: string): string {
  return `${t.short} ${link}`;
}
