"""Staff workspace views, one module per screen family."""
