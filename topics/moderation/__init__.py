"""Moderation of topics and posts: reports, approvals, merges, the public log."""
