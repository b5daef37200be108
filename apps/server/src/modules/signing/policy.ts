/** Who may do what with signatures, beyond the permission each route declares. */
export const signingPolicy = {
  /** The trust store: which root certificates make a signature trusted. */
  manageTrust: 'signing.trust',
} as const;
