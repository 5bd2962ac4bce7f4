"""``loyalist campaigns report KEY``: per arm, with uplift against the control group."""
