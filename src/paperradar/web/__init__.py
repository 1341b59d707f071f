"""The web: server-rendered pages and a JSON API over the same Library methods."""
