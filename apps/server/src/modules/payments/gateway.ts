/**
 * The payment-provider interface: what the payments service needs from a gateway. A provider
 * builds the redirect URL, checks what the gateway sends back (browser return and server-to-server
 * notification) and words the answer the gateway expects. It touches no database.
 */

/** What a provider needs of an order to send the payer to the gateway. */
export interface GatewayOrder {
  /** Our reference (unique per order). */
  txnRef: string;
  /** In đồng. */
  amount: number;
  /** Plain ASCII description shown by the gateway. */
  orderInfo: string;
  ipAddr: string;
  createdAt: Date;
  expiresAt: Date;
  /** Where the gateway sends the payer's browser back. */
  returnUrl: string;
}

/** A gateway's account of a payment, after its signature was verified. */
export interface GatewayResult {
  txnRef: string;
  /** In đồng. */
  amount: number;
  /** The gateway says the money was taken. */
  success: boolean;
  responseCode: string;
  gatewayTxnNo: string | null;
  bankCode: string | null;
  /** Every parameter as received (evidence). */
  params: Record<string, string>;
}

/** How the service settled a verified notification; the provider words it for the gateway. */
export type IpnOutcome = 'confirmed' | 'order_not_found' | 'already_confirmed' | 'invalid_amount';

export interface PaymentProvider {
  /** Stored with each order. */
  readonly name: string;
  createPaymentUrl(order: GatewayOrder): string;
  /** The browser's return: the verified result, or null when the signature (or merchant) is wrong. */
  verifyReturn(query: Record<string, string>): GatewayResult | null;
  /**
   * The gateway's notification: verifies it, lets `settle` apply it (in its own transaction) and
   * answers with the body the gateway expects. A forged one never reaches `settle`.
   */
  handleIpn(
    query: Record<string, string>,
    settle: (result: GatewayResult) => Promise<IpnOutcome>,
  ): Promise<{ body: unknown; outcome: IpnOutcome | 'invalid_signature' | 'error' }>;
}
