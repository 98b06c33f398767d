"""HTTP plumbing shared by the dialects: endpoint specs, JSON bodies, the OpenAPI document."""
