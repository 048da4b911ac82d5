"""National SSO (Cổng DVC quốc gia / VNeID) as an OpenID Connect provider: a simulator for tests."""
