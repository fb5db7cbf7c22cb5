"""Mirrors: invoices (and credit notes allocated to them) copied from one connected
organisation into another as they change — once, and never back (README, "Mirrors")."""
