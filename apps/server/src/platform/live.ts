import { randomUUID } from 'node:crypto';
import websocket from '@fastify/websocket';
import { AppError } from './errors.ts';
import { type Api, authOf } from './http.ts';
import type { AuthContext } from './policy.ts';

/**
 * Live updates over WebSocket (issue 8): a topic hub. A module publishes facts on a topic
 * (`meeting:<uuid>`); every socket subscribed to the topic receives them, in order, each with the
 * topic's sequence number so a client sees a gap and can catch up.
 *
 * Wire protocol (JSON text frames), on `GET /api/live` (a signed-in official's session cookie):
 *   client → server
 *     {"type":"subscribe","topic":"meeting:<uuid>","since"?:n,"epoch"?:"…"}
 *     {"type":"unsubscribe","topic":"meeting:<uuid>"}
 *   server → client
 *     {"type":"subscribed","topic":…,"seq":n,"epoch":"…"}   the topic's last seq when subscribed;
 *        with `since`, the events after `since` that the hub still holds follow it
 *     {"type":"event","topic":…,"seq":n,"at":ISO,"data":…}  seq: 1, 2, 3 … per topic
 *     {"type":"reset","topic":…}      `since` is older than the history held (the last 200 events),
 *        newer than the topic's seq, or of another epoch: reload the state over HTTP
 *     {"type":"unsubscribed","topic":…}
 *     {"type":"error","code":"FORBIDDEN"|"BAD_REQUEST","topic"?:…}
 *
 * Who may follow a topic is decided by the module that owns its prefix (the part before the first
 * ':'), registered with `live.allow(prefix, check)`; a topic of an unknown prefix is refused.
 * To get a state without a gap, a module's HTTP state answer carries `live.seq(topic)` and the
 * client subscribes with `since` = that seq.
 *
 * One process holds the sockets and the history, so this works for one instance only. A
 * multi-instance deployment would fan publishes out through PostgreSQL LISTEN/NOTIFY (each
 * instance publishing to its own sockets, seq kept per topic in the database); that is not built.
 * A socket keeps the auth resolved when it opened: a session signed out later stays connected
 * until the socket closes (the client reconnects after a network change, a heartbeat miss or a
 * restart, and is checked again then).
 */

/** Decides whether an official may follow a topic (e.g. a member of the meeting). */
export type TopicCheck = (auth: AuthContext, topic: string) => Promise<boolean> | boolean;

/** The subset of a `ws` WebSocket the hub uses (a fake one in unit tests). */
export interface LiveSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }): void;
  ping(): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'pong' | 'close', listener: () => void): unknown;
}

export interface LiveOptions {
  /** Events kept per topic for replay (default 200). */
  historySize?: number;
  /** A socket with more than this many bytes waiting to be sent is closed (1013) (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Ping interval; a socket that has not answered the previous ping is terminated (default 25 s). */
  heartbeatMs?: number;
  /** Topics one socket may follow at once (default 20). */
  maxTopicsPerSocket?: number;
  /** A topic without subscribers and without events for this long is forgotten (default 6 h). */
  idleTopicMs?: number;
  now?: () => Date;
}

export interface LiveHub {
  /** Sends `message` to every subscriber of `topic` (serialised once), keeps it for replay. */
  publish(topic: string, message: object): void;
  /** Sockets currently subscribed to `topic`. */
  subscribers(topic: string): number;
  /** The topic's last seq (0 before its first event): give it with an HTTP state answer. */
  seq(topic: string): number;
  /** Registers the check for topics `<prefix>:…`; one owner per prefix. */
  allow(prefix: string, check: TopicCheck): void;
  /** The registry's verdict: the prefix's check, or false for an unknown prefix. */
  authorize(auth: AuthContext, topic: string): Promise<boolean>;
  /** Serves one open socket of an authenticated official. */
  attach(socket: LiveSocket, auth: AuthContext, authorize?: TopicCheck): void;
  /** One heartbeat round (the timer calls it): terminate silent sockets, ping the others. */
  heartbeat(): void;
  /** Open sockets. */
  connections(): number;
  /** Closes every socket (1001) and stops the timer. */
  close(): Promise<void>;
}

const OPEN = 1;
/** `prefix:rest`, printable ASCII without spaces, bounded. */
const TOPIC = /^([a-z][a-z0-9_-]{0,31}):[A-Za-z0-9_.:-]{1,128}$/;
const MAX_CLIENT_MESSAGE = 1024;

interface Entry {
  seq: number;
  frame: Buffer;
}

interface Topic {
  seq: number;
  epoch: string;
  history: Entry[];
  subs: Set<Conn>;
  touched: number;
}

interface Conn {
  socket: LiveSocket;
  auth: AuthContext;
  authorize: TopicCheck;
  topics: Set<string>;
  alive: boolean;
  closed: boolean;
}

export function createLive(opts: LiveOptions = {}): LiveHub {
  const historySize = opts.historySize ?? 200;
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  const maxTopics = opts.maxTopicsPerSocket ?? 20;
  const idleTopicMs = opts.idleTopicMs ?? 6 * 3600_000;
  const now = opts.now ?? (() => new Date());
  const topics = new Map<string, Topic>();
  const conns = new Set<Conn>();
  const checks = new Map<string, TopicCheck>();

  const timer = setInterval(() => hub.heartbeat(), opts.heartbeatMs ?? 25_000);
  timer.unref();

  function topicOf(name: string): Topic {
    let t = topics.get(name);
    if (!t) {
      t = { seq: 0, epoch: randomUUID().slice(0, 8), history: [], subs: new Set(), touched: Date.now() };
      topics.set(name, t);
    }
    return t;
  }

  function sendJson(c: Conn, message: object) {
    if (c.closed || c.socket.readyState !== OPEN) return;
    c.socket.send(Buffer.from(JSON.stringify(message)), { binary: false });
  }

  /** Sends a prepared frame unless the socket is too far behind; then it is dropped with 1013. */
  function deliver(c: Conn, frame: Buffer) {
    if (c.closed || c.socket.readyState !== OPEN) return;
    if (c.socket.bufferedAmount > maxBuffered) {
      drop(c);
      c.socket.close(1013, 'slow consumer');
      return;
    }
    c.socket.send(frame, { binary: false });
  }

  /** Forgets a connection: no more deliveries to it. */
  function drop(c: Conn) {
    if (c.closed) return;
    c.closed = true;
    conns.delete(c);
    for (const name of c.topics) {
      const t = topics.get(name);
      if (t) {
        t.subs.delete(c);
        t.touched = Date.now();
      }
    }
    c.topics.clear();
  }

  async function subscribe(c: Conn, name: string, since: number | undefined, epoch: string | undefined) {
    let allowed = false;
    try {
      allowed = await c.authorize(c.auth, name);
    } catch {
      allowed = false;
    }
    if (c.closed) return;
    if (!allowed) return sendJson(c, { type: 'error', code: 'FORBIDDEN', topic: name });
    if (!c.topics.has(name) && c.topics.size >= maxTopics)
      return sendJson(c, { type: 'error', code: 'BAD_REQUEST', topic: name, reason: 'too many topics' });
    // From here to the end nothing awaits, so no event can slip between the replay and the live ones.
    const t = topicOf(name);
    t.subs.add(c);
    c.topics.add(name);
    t.touched = Date.now();
    sendJson(c, { type: 'subscribed', topic: name, seq: t.seq, epoch: t.epoch });
    if (since === undefined) return;
    const oldest = t.history[0]?.seq ?? t.seq + 1;
    if ((epoch !== undefined && epoch !== t.epoch) || since > t.seq || since < oldest - 1)
      return sendJson(c, { type: 'reset', topic: name });
    for (const e of t.history) if (e.seq > since) deliver(c, e.frame);
  }

  function unsubscribe(c: Conn, name: string) {
    const t = topics.get(name);
    if (t) {
      t.subs.delete(c);
      t.touched = Date.now();
    }
    c.topics.delete(name);
    sendJson(c, { type: 'unsubscribed', topic: name });
  }

  function onMessage(c: Conn, raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) {
    c.alive = true;
    const text = isBinary
      ? null
      : Buffer.isBuffer(raw)
        ? raw
        : Array.isArray(raw)
          ? Buffer.concat(raw)
          : null;
    let msg: unknown = null;
    if (text && text.length <= MAX_CLIENT_MESSAGE) {
      try {
        msg = JSON.parse(text.toString('utf8'));
      } catch {
        msg = null;
      }
    }
    const m = (msg ?? {}) as { type?: unknown; topic?: unknown; since?: unknown; epoch?: unknown };
    const topic = typeof m.topic === 'string' && TOPIC.test(m.topic) ? m.topic : null;
    const since =
      m.since === undefined
        ? undefined
        : Number.isSafeInteger(m.since) && (m.since as number) >= 0
          ? (m.since as number)
          : null;
    const epoch = m.epoch === undefined ? undefined : typeof m.epoch === 'string' ? m.epoch : null;
    if (m.type === 'subscribe' && topic && since !== null && epoch !== null) {
      void subscribe(c, topic, since, epoch);
      return;
    }
    if (m.type === 'unsubscribe' && topic) return unsubscribe(c, topic);
    sendJson(c, {
      type: 'error',
      code: 'BAD_REQUEST',
      ...(typeof m.topic === 'string' && { topic: m.topic }),
    });
  }

  const hub: LiveHub = {
    publish(topic, message) {
      const t = topicOf(topic);
      t.seq++;
      t.touched = Date.now();
      // Serialised once: every subscriber is sent the same Buffer.
      const frame = Buffer.from(
        JSON.stringify({ type: 'event', topic, seq: t.seq, at: now().toISOString(), data: message }),
      );
      t.history.push({ seq: t.seq, frame });
      if (t.history.length > historySize) t.history.shift();
      for (const c of t.subs) deliver(c, frame);
    },
    subscribers: (topic) => topics.get(topic)?.subs.size ?? 0,
    seq: (topic) => topics.get(topic)?.seq ?? 0,
    allow(prefix, check) {
      if (!/^[a-z][a-z0-9_-]{0,31}$/.test(prefix)) throw new Error(`live: bad topic prefix ${prefix}`);
      if (checks.has(prefix)) throw new Error(`live: topic prefix ${prefix} is already registered`);
      checks.set(prefix, check);
    },
    async authorize(auth, topic) {
      const prefix = TOPIC.exec(topic)?.[1];
      const check = prefix ? checks.get(prefix) : undefined;
      return check ? (await check(auth, topic)) === true : false;
    },
    attach(socket, auth, authorize = hub.authorize) {
      const c: Conn = { socket, auth, authorize, topics: new Set(), alive: true, closed: false };
      conns.add(c);
      socket.on('pong', () => {
        c.alive = true;
      });
      socket.on('message', (data, isBinary) => onMessage(c, data, isBinary));
      socket.on('close', () => drop(c));
    },
    heartbeat() {
      for (const c of [...conns]) {
        if (!c.alive) {
          drop(c);
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        if (c.socket.readyState === OPEN) c.socket.ping();
      }
      const cutoff = Date.now() - idleTopicMs;
      for (const [name, t] of topics) if (t.subs.size === 0 && t.touched < cutoff) topics.delete(name);
    },
    connections: () => conns.size,
    async close() {
      clearInterval(timer);
      for (const c of [...conns]) {
        drop(c);
        c.socket.close(1001, 'server closing');
      }
      topics.clear();
    },
  };
  return hub;
}

/**
 * The WebSocket transport (@fastify/websocket). Register it before the access control hook: its
 * onRequest hook marks upgrade requests, and only a marked request has its socket destroyed after
 * an HTTP answer — an upgrade refused by an earlier hook (401) would otherwise leave it open.
 */
export async function liveTransport(app: Api) {
  // Client messages are a few hundred bytes; anything bigger is not ours.
  await app.register(websocket, { options: { maxPayload: 4096 } });
}

/**
 * Mounts `GET /api/live` (WebSocket; access 'session': the upgrade without a valid session cookie
 * answers 401 and no socket is opened). API tokens are refused (403): live updates are for people.
 * A plain GET (no upgrade) answers 400. Needs liveTransport registered first.
 */
export function liveRoutes(app: Api, live: LiveHub, authorize: TopicCheck) {
  if (!app.hasPlugin('@fastify/websocket')) throw new Error('liveRoutes: register liveTransport first');
  app.addHook('preClose', async () => live.close());
  app.route({
    method: 'GET',
    url: '/api/live',
    config: { access: 'session' },
    schema: {
      tags: ['platform'],
      summary: 'Cập nhật trực tiếp (WebSocket)',
      description:
        'Nâng cấp lên WebSocket với cookie phiên. Gửi {"type":"subscribe","topic":"meeting:<uuid>","since"?:n}; ' +
        'nhận {"type":"event","topic","seq","at","data"}, "subscribed", "reset", "error". ' +
        'Yêu cầu GET thường (không nâng cấp) trả 400.',
    },
    preHandler: async (req) => {
      if (!authOf(req).sessionId) throw new AppError('FORBIDDEN');
    },
    handler: async () => {
      throw new AppError('BAD_REQUEST', { upgrade: 'websocket' });
    },
    wsHandler: (socket, req) => live.attach(socket, authOf(req), authorize),
  });
}
