/** Who may see and run the exchange, beyond the permission each route declares. */
export const exchangePolicy = {
  /** The installation's connection to the hub: outbox/inbox health, retries. */
  manage: 'exchange.manage',
} as const;
