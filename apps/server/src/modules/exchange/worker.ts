import type { OutboxLog } from '../../platform/outbox/service.ts';
import type { ExchangeService } from './service.ts';

/**
 * The inbox poller: asks the hub for our messages every `pollMs` (at once again while there
 * were some), until stopped. Errors are logged and the next pass tries again.
 */
export function exchangePoller(exchange: ExchangeService, opts: { pollMs: number; log: OutboxLog }) {
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let n = 0;
          try {
            n = await exchange.pollOnce(opts.log);
          } catch (e) {
            opts.log.warn({ err: (e as Error).message }, 'exchange: poll failed, trying again later');
          }
          if (running && n === 0)
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, opts.pollMs);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
          wake = null;
        }
      })();
    },
    /** Runs a pass now instead of at the end of the wait. */
    nudge() {
      wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
  };
}
