"""Earning rules: CEL conditions, effects, limits, versions, the program file, backtests."""
