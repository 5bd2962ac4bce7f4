"""Command line: Typer app, one module per domain."""
