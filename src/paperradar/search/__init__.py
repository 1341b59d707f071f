"""Search: parse what a user typed, ask the retrievers, fuse and page their rankings."""
