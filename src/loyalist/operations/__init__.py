"""Operations: what the processes running Loyalist tell about themselves (the workers'
heartbeats) and the probes readiness asks the database. Other packages import only
``__all__``."""

__all__ = ["service"]
