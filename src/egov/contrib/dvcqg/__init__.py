"""A protocol-true simulator of the national public-service portal (Cổng DVC quốc gia) API."""
