"""Permission-aware reads, one module per noun, mirroring records/services/."""
