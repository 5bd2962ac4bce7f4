"""Loyalist: self-hosted customer loyalty, referral and retention platform."""

__version__ = "0.1.0"
