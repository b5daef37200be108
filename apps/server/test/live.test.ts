import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLive, type LiveSocket } from '../src/platform/live.ts';
import type { AuthContext } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { Client } from './support/ws-client.ts';

let t: TestApp;
let url: string;
let cookie: string;
let insiderCookie: string;
const clients: Client[] = [];

beforeAll(async () => {
  t = await setupApp();
  const insider = await t.f.session(['specialist']);
  insiderCookie = insider.cookie;
  cookie = (await t.f.session(['specialist'])).cookie;
  // The registry as a module would use it: `test:secret` only for one official, other test topics for all.
  t.live.allow('test', (auth, topic) => topic !== 'test:secret' || auth.officialId === insider.official.id);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/live`;
});
afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await t.close();
});

async function connect(c = cookie): Promise<Client> {
  const ws = new WebSocket(url, { headers: { cookie: c } });
  const client = new Client(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  clients.push(client);
  return client;
}

/** The HTTP answer to an upgrade that the server refuses. */
function refused(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => reject(new Error('the socket opened')));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      // The server ends the connection itself after its answer (no socket left half-open).
      const ended = new Promise((r) => res.on('end', r));
      const closed = new Promise((r) => req.socket?.once('close', r));
      void Promise.all([ended, closed]).then(() => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => {});
  });
}

describe('GET /api/live (WebSocket)', () => {
  it('refuses an upgrade without a valid session with 401 and opens no socket', async () => {
    const before = t.live.connections();
    const none = await refused({});
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).code).toBe('UNAUTHENTICATED');
    const bogus = await refused({ cookie: 'congvu_sid=khong-hop-le' });
    expect(bogus.status).toBe(401);
    expect(t.live.connections()).toBe(before);
  });

  it('refuses an API token (403): live updates are for signed-in people', async () => {
    const token = await t.ctx.auth.createToken(
      {
        officialId: null,
        fullName: 'x',
        roles: [],
        permissions: new Set(),
        actingFor: null,
        sessionId: null,
        tokenId: null,
      },
      { name: 'Hệ thống trực tiếp', permissions: ['org.read'] },
      { ip: null, userAgent: null },
    );
    const res = await refused({ authorization: `Bearer ${token.secret}` });
    expect(res.status).toBe(403);
  });

  it('answers a plain GET (no upgrade) with 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/live', headers: { cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BAD_REQUEST');
  });

  it('subscribes when the prefix owner allows it and refuses otherwise', async () => {
    const c = await connect();
    expect(await c.subscribe('test:open')).toMatchObject({ type: 'subscribed', topic: 'test:open', seq: 0 });
    expect(t.live.subscribers('test:open')).toBe(1);
    // The check refuses this official; a prefix nobody registered is refused too.
    expect(await c.subscribe('test:secret')).toEqual({
      type: 'error',
      code: 'FORBIDDEN',
      topic: 'test:secret',
    });
    const meeting = 'meeting:0190f6a0-0000-7000-8000-000000000001';
    expect(await c.subscribe(meeting)).toEqual({ type: 'error', code: 'FORBIDDEN', topic: meeting });
    expect(t.live.subscribers('test:secret')).toBe(0);
    expect(t.live.subscribers(meeting)).toBe(0);
    // The official the check admits.
    const insider = await connect(insiderCookie);
    expect(await insider.subscribe('test:secret')).toMatchObject({
      type: 'subscribed',
      topic: 'test:secret',
    });
    await c.close();
    await insider.close();
  });

  it('answers malformed messages with BAD_REQUEST', async () => {
    const c = await connect();
    c.ws.send('không phải JSON');
    expect(await c.next()).toEqual({ type: 'error', code: 'BAD_REQUEST' });
    expect(await c.subscribe('Không hợp lệ')).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    expect(await c.subscribe('test:x', { since: -1 })).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    c.send({ type: 'dance', topic: 'test:x' });
    expect(await c.next()).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
    await c.close();
  });

  it('delivers each event to every subscriber of its topic, not to others, with seq 1, 2, 3', async () => {
    const a = await Promise.all([connect(), connect(), connect()]);
    const b = await connect();
    for (const c of a) expect(await c.subscribe('test:a')).toMatchObject({ type: 'subscribed', seq: 0 });
    expect(await b.subscribe('test:b')).toMatchObject({ type: 'subscribed', seq: 0 });
    expect(t.live.subscribers('test:a')).toBe(3);

    for (const n of [1, 2, 3]) t.live.publish('test:a', { item: n });
    t.live.publish('test:b', { item: 'b' });
    for (const c of a)
      for (const n of [1, 2, 3]) {
        const m = await c.next();
        expect(m).toMatchObject({ type: 'event', topic: 'test:a', seq: n, data: { item: n } });
        expect(new Date(m.at as string).toISOString()).toBe(m.at);
      }
    // b's first message is its own topic's event: nothing of test:a came before it.
    expect(await b.next()).toMatchObject({ type: 'event', topic: 'test:b', seq: 1, data: { item: 'b' } });
    expect(t.live.seq('test:a')).toBe(3);
    await Promise.all([...a, b].map((c) => c.close()));
  });

  it('replays what it holds after `since`, and nothing when the client is up to date', async () => {
    for (let n = 1; n <= 5; n++) t.live.publish('test:replay', { n });
    const c = await connect();
    const ack = await c.subscribe('test:replay', { since: 2 });
    expect(ack).toMatchObject({ type: 'subscribed', topic: 'test:replay', seq: 5 });
    for (const n of [3, 4, 5]) expect(await c.next()).toMatchObject({ type: 'event', seq: n, data: { n } });
    // Live events follow the replay without a gap.
    t.live.publish('test:replay', { n: 6 });
    expect(await c.next()).toMatchObject({ type: 'event', seq: 6 });

    const d = await connect();
    expect(await d.subscribe('test:replay', { since: 6, epoch: ack.epoch })).toMatchObject({
      type: 'subscribed',
      seq: 6,
    });
    t.live.publish('test:replay', { n: 7 });
    expect(await d.next()).toMatchObject({ type: 'event', seq: 7 });
    await Promise.all([c.close(), d.close()]);
  });

  it('sends reset when `since` is older than the 200 events held, from the future, or of another epoch', async () => {
    for (let n = 1; n <= 205; n++) t.live.publish('test:many', { n });
    const c = await connect();
    expect(await c.subscribe('test:many', { since: 4 })).toMatchObject({ type: 'subscribed', seq: 205 });
    expect(await c.next()).toEqual({ type: 'reset', topic: 'test:many' });
    c.send({ type: 'unsubscribe', topic: 'test:many' });
    expect(await c.next()).toEqual({ type: 'unsubscribed', topic: 'test:many' });
    // 6..205 are held: since 5 replays all 200.
    const ack = await c.subscribe('test:many', { since: 5 });
    for (let n = 6; n <= 205; n++) expect(await c.next()).toMatchObject({ type: 'event', seq: n });
    c.send({ type: 'unsubscribe', topic: 'test:many' });
    await c.next();
    // A seq the topic never reached (the server restarted), or another epoch of the topic.
    await c.subscribe('test:many', { since: 900 });
    expect(await c.next()).toEqual({ type: 'reset', topic: 'test:many' });
    c.send({ type: 'unsubscribe', topic: 'test:many' });
    await c.next();
    await c.subscribe('test:many', { since: 205, epoch: `${ack.epoch}x` });
    expect(await c.next()).toEqual({ type: 'reset', topic: 'test:many' });
    await c.close();
  });

  it('stops delivering after unsubscribe, and forgets a closed socket', async () => {
    const c = await connect();
    await c.subscribe('test:u1');
    await c.subscribe('test:u2');
    c.send({ type: 'unsubscribe', topic: 'test:u1' });
    expect(await c.next()).toEqual({ type: 'unsubscribed', topic: 'test:u1' });
    expect(t.live.subscribers('test:u1')).toBe(0);
    t.live.publish('test:u1', { lost: true });
    t.live.publish('test:u2', { marker: true });
    expect(await c.next()).toMatchObject({ type: 'event', topic: 'test:u2', data: { marker: true } });
    const open = t.live.connections();
    c.ws.terminate();
    await c.closed;
    // The server sees the close on its own schedule: wait for its bookkeeping, not for a time.
    await expect.poll(() => t.live.subscribers('test:u2')).toBe(0);
    await expect.poll(() => t.live.connections()).toBe(open - 1);
  });
});

/** A stand-in for a ws socket: what the hub sends, pings, closes. */
class FakeSocket extends EventEmitter implements LiveSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  pings = 0;
  closedWith: number | null = null;
  terminated = false;
  send(data: Buffer) {
    this.sent.push(data);
  }
  ping() {
    this.pings++;
  }
  close(code?: number) {
    this.closedWith = code ?? 1005;
    this.readyState = 2;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
  last() {
    return JSON.parse(String(this.sent.at(-1)));
  }
}

const AUTH: AuthContext = {
  officialId: '0190f6a0-0000-7000-8000-00000000000a',
  fullName: 'Cán bộ thử',
  roles: [],
  permissions: new Set(),
  actingFor: null,
  sessionId: 's',
  tokenId: null,
};

async function subscribed(hub: ReturnType<typeof createLive>, topic: string) {
  const s = new FakeSocket();
  hub.attach(s, AUTH, () => true);
  s.emit('message', Buffer.from(JSON.stringify({ type: 'subscribe', topic })), false);
  await expect.poll(() => s.sent.length).toBe(1);
  expect(s.last()).toMatchObject({ type: 'subscribed', topic });
  return s;
}

describe('the hub (bookkeeping)', () => {
  it('serialises an event once and sends the same buffer to every subscriber', async () => {
    const hub = createLive();
    const sockets = await Promise.all([1, 2, 3].map(() => subscribed(hub, 'test:once')));
    hub.publish('test:once', { x: 1 });
    const frames = sockets.map((s) => s.sent[1]);
    expect(frames[0]).toBeInstanceOf(Buffer);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    await hub.close();
  });

  it('closes a socket whose send buffer is over the limit with 1013 and stops sending to it', async () => {
    const hub = createLive({ maxBufferedBytes: 1000 });
    const slow = await subscribed(hub, 'test:slow');
    const fast = await subscribed(hub, 'test:slow');
    slow.bufferedAmount = 1001;
    hub.publish('test:slow', { x: 1 });
    expect(slow.closedWith).toBe(1013);
    expect(slow.sent).toHaveLength(1);
    expect(fast.sent).toHaveLength(2);
    expect(hub.subscribers('test:slow')).toBe(1);
    expect(hub.connections()).toBe(1);
    hub.publish('test:slow', { x: 2 });
    expect(slow.sent).toHaveLength(1);
    expect(fast.sent).toHaveLength(3);
    await hub.close();
  });

  it('pings every socket and terminates one that missed the previous pong', async () => {
    const hub = createLive();
    const answers = await subscribed(hub, 'test:hb');
    const silent = await subscribed(hub, 'test:hb');
    hub.heartbeat();
    expect([answers.pings, silent.pings]).toEqual([1, 1]);
    answers.emit('pong');
    hub.heartbeat();
    expect(answers.terminated).toBe(false);
    expect(answers.pings).toBe(2);
    expect(silent.terminated).toBe(true);
    expect(hub.subscribers('test:hb')).toBe(1);
    await hub.close();
    expect(answers.closedWith).toBe(1001);
  });

  it('refuses topics of unregistered prefixes and a prefix registered twice', async () => {
    const hub = createLive();
    hub.allow('meeting', (auth) => auth.officialId === AUTH.officialId);
    expect(await hub.authorize(AUTH, 'meeting:0190f6a0-0000-7000-8000-000000000001')).toBe(true);
    expect(await hub.authorize({ ...AUTH, officialId: 'x' }, 'meeting:1')).toBe(false);
    expect(await hub.authorize(AUTH, 'poll:1')).toBe(false);
    expect(() => hub.allow('meeting', () => true)).toThrow();
    await hub.close();
  });

  it('forgets idle topics without subscribers', async () => {
    const hub = createLive({ idleTopicMs: -1 });
    hub.publish('test:idle', { x: 1 });
    expect(hub.seq('test:idle')).toBe(1);
    hub.heartbeat();
    expect(hub.seq('test:idle')).toBe(0);
    await hub.close();
  });
});
