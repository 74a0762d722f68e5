"""Official notices (通知书): numbered, rendered to PDF, stored once, verifiable."""
