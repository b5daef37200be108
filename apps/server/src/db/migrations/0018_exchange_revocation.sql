-- Revocation of the certificate that signed an arriving envelope (issue 5, verification on
-- arrival): checked once per envelope through its CRL distribution points / OCSP responder.
ALTER TABLE exchange_inbound ADD COLUMN xml_revocation text
  CHECK (xml_revocation IN ('good', 'revoked', 'unknown'));
ALTER TABLE exchange_inbound ADD COLUMN xml_revocation_detail text;
COMMENT ON COLUMN exchange_inbound.xml_revocation IS 'For a valid signature whose certificate a trust anchor issued: good (the CRL/OCSP answer says not revoked), revoked (the envelope is then not trusted; the clerk returns it with 02), unknown (no CRL/OCSP address, or none reachable); null when not checked';
COMMENT ON COLUMN exchange_inbound.xml_revocation_detail IS 'The check''s message in Vietnamese (date and reason of a revocation, or why it could not be checked)';
