"""Production serving: persisted queries, HTTP and response caching, metrics, logs, headers."""
