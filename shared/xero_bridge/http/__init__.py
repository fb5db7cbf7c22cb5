"""The HTTP layer every API function shares: the resolver, request helpers, errors as
responses, caching headers and the pieces of the API description.

Only `functions/*/app.py` and this package know about HTTP; the logic modules under
`xero_bridge` take and return plain values and domain models.
"""
