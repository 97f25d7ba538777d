"""The SKM satisfaction survey (issue: service evaluation). Tables come with their migration."""
