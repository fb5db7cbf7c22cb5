"""The records API's routes, one Powertools Router per resource (imported by ../app.py)."""
