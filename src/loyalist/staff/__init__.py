"""Staff: API keys now; staff accounts, roles and TOTP later."""
