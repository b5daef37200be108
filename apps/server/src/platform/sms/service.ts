import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/pool.ts';
import { enqueue, type OutboxHandler, type OutboxLog } from '../outbox/service.ts';

/** Outbox topic of outgoing SMS. */
export const SMS_TOPIC = 'sms.send';

export const Sms = z.object({
  /** A Vietnamese mobile number, 0 + 9 digits. */
  to: z.string().regex(/^0[0-9]{9}$/),
  text: z.string().min(1).max(1000),
});
export type Sms = z.infer<typeof Sms>;

/** SMS leaves only through the outbox, like e-mail: enqueued in the transaction of what it reports. */
export function enqueueSms(trx: Db, sms: Sms, dedupeKey: string): Promise<boolean> {
  return enqueue(trx, { topic: SMS_TOPIC, payload: Sms.parse(sms), dedupeKey });
}

/** Thrown by a provider when it refused the message itself (4xx): sending it again cannot help. */
export class SmsRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SmsRefused';
  }
}

export interface SmsProvider {
  /** What the log calls it ("log" = nothing leaves the server). */
  readonly name: 'log' | 'http';
  /** Resolves when the provider accepted the message; throws to retry; throws SmsRefused when final. */
  send(to: string, text: string, messageId: string): Promise<void>;
}

/** 0912345678 → *******678: logs keep the last 3 digits only. */
export function maskPhone(phone: string): string {
  return phone.length <= 3 ? phone : `${'*'.repeat(phone.length - 3)}${phone.slice(-3)}`;
}

/**
 * Development (and any installation without CONGVU_SMS_URL): nothing is sent; each message is
 * logged with the number masked, so a developer sees that it would have gone out.
 */
export function loggingSmsProvider(log: OutboxLog): SmsProvider {
  return {
    name: 'log',
    async send(to, text, messageId) {
      log.info({ id: messageId, to: maskPhone(to), text }, 'sms.send (nhà cung cấp ghi nhật ký: không gửi)');
    },
  };
}

/**
 * A brandname-SMS HTTP API of the usual Vietnamese shape: POST JSON
 * `{ to, message, requestId }` with `Authorization: Bearer <token>`; 2xx = accepted. A 4xx is
 * the provider refusing this message (bad number, content): final; 5xx, 429 and network errors
 * are retried by the outbox. `requestId` (the outbox row) lets the provider drop a resend.
 */
export function httpSmsProvider(opts: { url: string; token: string; timeoutMs?: number }): SmsProvider {
  return {
    name: 'http',
    async send(to, text, messageId) {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
        body: JSON.stringify({ to, message: text, requestId: messageId }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
      const body = (await res.text()).slice(0, 300);
      if (res.ok) return;
      if (res.status >= 400 && res.status < 500 && res.status !== 429)
        throw new SmsRefused(`SMS provider refused (${res.status}): ${body}`, res.status);
      throw new Error(`SMS provider answered ${res.status}: ${body}`);
    },
  };
}

/** The provider of this installation: HTTP when CONGVU_SMS_URL is set, else the logging one. */
export function createSmsProvider(config: Pick<Config, 'sms'>, log: OutboxLog): SmsProvider {
  return config.sms ? httpSmsProvider(config.sms) : loggingSmsProvider(log);
}

/** The outbox handler of SMS_TOPIC: a refusal (4xx) settles the row as skipped; other failures retry. */
export function smsHandler(provider: SmsProvider): OutboxHandler {
  return async (payload, ctx) => {
    const sms = Sms.parse(payload);
    try {
      await provider.send(sms.to, sms.text, ctx.id);
    } catch (e) {
      if (e instanceof SmsRefused) return { skipped: `${e.message} (${maskPhone(sms.to)})` };
      throw e;
    }
    if (provider.name === 'http') ctx.log.info({ id: ctx.id, to: maskPhone(sms.to) }, 'sms: sent');
    return undefined;
  };
}

/** Said once at start when SMS only goes to the log, so an operator knows nobody receives them. */
export function announceSms(provider: SmsProvider, log: OutboxLog) {
  if (provider.name === 'log')
    log.warn({}, 'CONGVU_SMS_URL chưa đặt: tin nhắn SMS chỉ được ghi vào nhật ký, không gửi đi');
}
