"""Rewards catalogue: what members spend points on (or get as a surprise), issued as coupons."""
