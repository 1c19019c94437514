"""Service layer: one function per verb; each takes its session and appends events."""
