"""Coupons: campaigns, unique codes, validation and redemption (issue 4; codes so far)."""
