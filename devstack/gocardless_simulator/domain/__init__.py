"""GoCardless's resources and what may happen to them, independent of HTTP."""
