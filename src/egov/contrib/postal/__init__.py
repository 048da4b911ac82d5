"""Postal operator adapter: book the delivery of a result by post (bưu chính công ích)."""
