import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One received e-mail: envelope recipients, the Subject and the decoded text of its parts. */
export interface SunkMail {
  to: string[];
  subject: string;
  text: string;
}

/** Decodes RFC 2047 encoded words (=?utf-8?B?…?= / ?Q?) in a header value. */
function decodeWords(v: string) {
  return v.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=\s*/g, (_m, _cs, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(
          data
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

/** Decodes a part's body by its Content-Transfer-Encoding. */
function decodeBody(headers: string, body: string) {
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return Buffer.from(body, 'latin1').toString('utf8');
}

/** The decoded text/* parts of a MIME entity, nested multiparts included. */
function textParts(headers: string, body: string, top = true): string[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  if (boundary && /content-type:\s*multipart\//i.test(headers))
    return body.split(`--${boundary}`).flatMap((part) => {
      const [h = '', ...b] = part.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      return textParts(h.replace(/\r?\n[ \t]+/g, ' '), b.join('\n\n'), false);
    });
  // A part counts when it says it is text; the message itself also when it says nothing.
  if (/content-type:\s*text\//i.test(headers) || (top && !/content-type:/i.test(headers)))
    return [decodeBody(headers, body)];
  return [];
}

/** A minimal MIME reader: good enough for nodemailer's text/html alternatives and calendar parts. */
export function readMail(to: string[], raw: string): SunkMail {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^subject:\s*(.*)$/im.exec(unfolded)?.[1] ?? '');
  return { to, subject, text: textParts(unfolded, rest.join('\n\n')).join('\n') };
}

/** A real SMTP server in the test's process (integration and browser tests): `inbox` is what it received, decoded. */
export async function startMailSink() {
  const inbox: SunkMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push(
          readMail(
            session.envelope.rcptTo.map((r) => r.address),
            Buffer.concat(chunks).toString('latin1'),
          ),
        );
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    inbox,
    /** The text of the first mail to `address` among those received after the first `from`; waits up to 5 s. */
    async textTo(address: string, from = 0): Promise<string> {
      for (let i = 0; i < 100; i++) {
        const m = inbox.slice(from).find((x) => x.to.includes(address));
        if (m) return m.text;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no mail to ${address}`);
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

export type MailSink = Awaited<ReturnType<typeof startMailSink>>;
