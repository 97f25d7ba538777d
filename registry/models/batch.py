"""Batch reprint jobs (issue: batch reprints). Tables are added by their own migration."""
