"""Demo data: `ktp seed` and `ktp demo`."""
