-- Online payment of a dossier's fees through a payment gateway (issue 7): one order per attempt,
-- settled once by the gateway's server-to-server notification (IPN).

CREATE TABLE payment_orders (
  id uuid PRIMARY KEY,
  txn_ref text NOT NULL UNIQUE,
  provider text NOT NULL,
  dossier_id uuid NOT NULL REFERENCES dossiers(id),
  agency_id uuid NOT NULL REFERENCES agencies(id),
  fee_ordinals integer[] NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed', 'expired')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  created_by uuid REFERENCES officials(id),
  gateway_txn_no text,
  bank_code text,
  response_code text,
  paid_at timestamptz,
  settled_at timestamptz,
  ipn_params jsonb,
  UNIQUE (provider, gateway_txn_no),
  CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
COMMENT ON TABLE payment_orders IS 'A payment order sent to the gateway for a dossier''s unpaid fee lines; settled once by the IPN';
COMMENT ON COLUMN payment_orders.txn_ref IS 'Our order reference sent as vnp_TxnRef (also the receipt number on the fee lines)';
COMMENT ON COLUMN payment_orders.provider IS 'Which gateway: vnpay (the real one or the local simulator speaking its protocol)';
COMMENT ON COLUMN payment_orders.fee_ordinals IS 'The dossier fee lines paid by this order (positions in the dossier''s fee list)';
COMMENT ON COLUMN payment_orders.amount IS 'Amount in đồng (the gateway gets it × 100)';
COMMENT ON COLUMN payment_orders.created_by IS 'The official who created it; null when created with the dossier''s lookup secret (the applicant)';
COMMENT ON COLUMN payment_orders.gateway_txn_no IS 'The gateway''s transaction number (vnp_TransactionNo); unique per provider, so a transaction settles one order';
COMMENT ON COLUMN payment_orders.paid_at IS 'Business time (platform/clock.ts) at which the successful IPN was applied';
COMMENT ON COLUMN payment_orders.settled_at IS 'Business time of the IPN that settled the order (paid or failed)';
COMMENT ON COLUMN payment_orders.ipn_params IS 'The signed IPN parameters as received, kept as evidence';
CREATE INDEX payment_orders_dossier ON payment_orders (dossier_id, created_at);
CREATE INDEX payment_orders_paid ON payment_orders (paid_at) WHERE status = 'paid';
