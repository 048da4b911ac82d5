"""egov — Vietnamese provincial e-government platform (Chính quyền điện tử)."""
