"""Insights: read-only figures over every domain's data (NPS now; KPIs, RFM and CLV later)."""
