import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/pool.ts';
import { enqueue, type OutboxHandler, type OutboxLog } from '../outbox/service.ts';

/** Outbox topic of outgoing e-mail. */
export const MAIL_TOPIC = 'mail.send';

export const Mail = z.object({
  to: z.email(),
  /** The recipient's name, shown in the To header. */
  toName: z.string().optional(),
  subject: z.string().min(1),
  text: z.string(),
  /** An iCalendar invitation (METHOD:REQUEST), sent as the calendar part mail clients act on. */
  calendar: z.object({ filename: z.string().min(1), content: z.string().max(200_000) }).optional(),
});
export type Mail = z.infer<typeof Mail>;

/**
 * E-mail leaves only through the outbox: enqueue inside the transaction whose change it
 * reports; the dispatcher sends it after the commit and retries a failed send with backoff.
 */
export function enqueueMail(trx: Db, mail: Mail, dedupeKey: string): Promise<boolean> {
  return enqueue(trx, { topic: MAIL_TOPIC, payload: Mail.parse(mail), dedupeKey });
}

export interface Mailer {
  /** False when SMTP_URL is not set: nothing is sent. */
  readonly enabled: boolean;
  send(mail: Mail & { messageId: string }): Promise<void>;
  close(): void;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'smtpFrom'>): Mailer {
  if (!config.smtpUrl) {
    return {
      enabled: false,
      send: async () => {
        throw new Error('SMTP_URL is not set');
      },
      close: () => {},
    };
  }
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    enabled: true,
    async send(mail) {
      await transport.sendMail({
        from: config.smtpFrom,
        to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.calendar && {
          icalEvent: { method: 'REQUEST', filename: mail.calendar.filename, content: mail.calendar.content },
        }),
        // The outbox row's id: a receiver can spot a resend after a crash between send and commit.
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/** The outbox handler of MAIL_TOPIC: sends, or settles the row as skipped when mail is off. */
export function mailHandler(mailer: Mailer): OutboxHandler {
  return async (payload, ctx) => {
    const mail = Mail.parse(payload);
    if (!mailer.enabled)
      return { skipped: `SMTP_URL chưa đặt: không gửi thư "${mail.subject}" tới ${mail.to}` };
    await mailer.send({ ...mail, messageId: `<${ctx.id}@congvu>` });
    ctx.log.info({ id: ctx.id, to: mail.to }, 'mail: sent');
    return undefined;
  };
}

/** Said once at start when mail is off, so an operator knows why nobody gets e-mail. */
export function announceMailer(mailer: Mailer, log: OutboxLog) {
  if (!mailer.enabled)
    log.warn(
      {},
      'SMTP_URL chưa đặt: thư điện tử sẽ không được gửi; các thư trong hàng đợi được đánh dấu bỏ qua',
    );
}
