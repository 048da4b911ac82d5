"""SMS brandname gateway adapter (eSMS-style JSON API) and its simulator."""
