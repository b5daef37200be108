import { signHubRequest } from './client.ts';
import { hubRepo } from './repo.ts';
import type { SecretBox } from './secrets.ts';
import type { HubDb, MessageKind } from './tables.ts';

/**
 * Optional push: after a message commits, each active system with a callback_url that acts for
 * a recipient gets `POST callback_url {"messageId","kind"}`, signed like a hub request with that
 * system's own id and secret (so it can tell the hub from a stranger). Best effort: a few tries,
 * in memory (a restart forgets them); the receiver still lists, fetches and acknowledges, so a
 * lost push only delays delivery until its next poll.
 */
export interface HubPusher {
  notify(m: { messageId: string; kind: MessageKind; recipients: string[] }): void;
  /**
   * Tries one system's callback again for a message (the operator's requeue of a push dead
   * letter): a new round of tries, numbered after the earlier ones. Resolves once scheduled.
   */
  retry(m: { messageId: string; kind: MessageKind; systemId: string }): Promise<void>;
  /** Tries per round: a (message, system) with this many failed tries and no success is a dead letter. */
  readonly tries: number;
  /** Cancels waiting retries and waits for calls in flight. */
  close(): Promise<void>;
}

export const noPush: HubPusher = { notify() {}, retry: async () => {}, tries: 1, close: async () => {} };

export function callbackPusher(
  db: HubDb,
  secrets: SecretBox,
  opts: {
    /** Wait before each try (default: now, 2 s, 10 s). */
    delaysMs?: number[];
    timeoutMs?: number;
    log?: (message: string) => void;
    fetch?: typeof fetch;
  } = {},
): HubPusher {
  const repo = hubRepo(db);
  const delays = opts.delaysMs ?? [0, 2_000, 10_000];
  const doFetch = opts.fetch ?? fetch;
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let closed = false;

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  /** Try `step` (1-based) of a round whose first try is numbered `first` in hub_push_attempts. */
  async function attempt(
    target: { id: string; secret: string; url: string },
    m: { messageId: string; kind: MessageKind },
    step: number,
    first = 1,
  ): Promise<void> {
    const n = first + step - 1;
    const body = JSON.stringify({ messageId: m.messageId, kind: m.kind });
    const url = new URL(target.url);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signHubRequest({
            systemId: target.id,
            secret: secrets.open(target.secret),
            method: 'POST',
            pathWithQuery: `${url.pathname}${url.search}`,
            body,
          }),
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
    }
    await repo
      .insertPushAttempt({
        message_id: m.messageId,
        system_id: target.id,
        attempt: n,
        http_status: status,
        error,
      })
      .catch((e: Error) => opts.log?.(`hub push: could not record attempt: ${e.message}`));
    const ok = status !== null && status >= 200 && status < 300;
    if (!ok && step < delays.length) schedule(target, m, step + 1, first);
    else if (!ok) opts.log?.(`hub push to ${target.url} for ${m.messageId} gave up after ${step} tries`);
  }

  function schedule(
    target: { id: string; secret: string; url: string },
    m: { messageId: string; kind: MessageKind },
    step: number,
    first = 1,
  ) {
    if (closed) return;
    const t = setTimeout(
      () => {
        timers.delete(t);
        track(attempt(target, m, step, first));
      },
      delays[step - 1],
    );
    timers.add(t);
  }

  /** Who to call per recipient set, reused for 2 s (registrations rarely change). */
  const targets = new Map<
    string,
    { at: number; systems: Awaited<ReturnType<typeof repo.callbackSystemsFor>> }
  >();
  async function targetsFor(recipients: string[]) {
    const key = [...recipients].sort().join(',');
    const hit = targets.get(key);
    if (hit && Date.now() - hit.at < 2000) return hit.systems;
    const systems = await repo.callbackSystemsFor(recipients);
    if (targets.size > 1000) targets.clear();
    targets.set(key, { at: Date.now(), systems });
    return systems;
  }

  return {
    notify(m) {
      if (closed || m.recipients.length === 0) return;
      track(
        (async () => {
          const systems = await targetsFor(m.recipients);
          for (const s of systems) schedule({ id: s.id, secret: s.secret, url: s.callback_url! }, m, 1);
        })().catch((e: Error) => opts.log?.(`hub push: ${e.message}`)),
      );
    },
    async retry(m) {
      const s = await repo.findSystem(m.systemId);
      if (!s?.active || !s.callback_url) return;
      const done = await repo.pushAttemptCount(m.messageId, m.systemId);
      schedule({ id: s.id, secret: s.secret, url: s.callback_url }, m, 1, done + 1);
    },
    tries: delays.length,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
}
