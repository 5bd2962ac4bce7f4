"""The points ledger: accounts, lots, postings, holds, expiry and reversals."""
