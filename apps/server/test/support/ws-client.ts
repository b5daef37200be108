import WebSocket from 'ws';

/** A real WebSocket client that queues what it receives; tests wait for messages, never for time. */
export class Client {
  private queue: Record<string, unknown>[] = [];
  private waiting: ((m: Record<string, unknown>) => void) | null = null;
  readonly closed: Promise<{ code: number }>;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(m);
      } else this.queue.push(m);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }
  next(): Promise<Record<string, unknown>> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
  send(m: object) {
    this.ws.send(JSON.stringify(m));
  }
  async subscribe(topic: string, extra: object = {}) {
    this.send({ type: 'subscribe', topic, ...extra });
    return this.next();
  }
  close() {
    this.ws.close();
    return this.closed;
  }
}

/** Opens a WebSocket to `url` with the session cookie; resolves once open. */
export async function connectLive(url: string, cookie: string): Promise<Client> {
  const ws = new WebSocket(url, { headers: { cookie } });
  const client = new Client(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}
