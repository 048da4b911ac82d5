"""Trust services of a certification authority (RFC 3161 timestamps, OCSP, CRLs) as seen from
egov: a loopback simulator for development and tests. Production uses the configured URLs of a
licensed TSA and the CAs' own OCSP/CRL endpoints (``EGOV_SIGNING_TSA_URL``)."""
