"""HTTP API: thin routes per domain and the problem+json mapping."""
