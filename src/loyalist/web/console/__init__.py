"""The staff console: one module per section, each page guarded by the API's permissions."""
