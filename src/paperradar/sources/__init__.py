"""Sources read the outside world (files, live APIs) and yield records; they know nothing of storage."""
