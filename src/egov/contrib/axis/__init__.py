"""A protocol-true simulator of the document axis (Trục liên thông văn bản), for tests
and the demo."""
