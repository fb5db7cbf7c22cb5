"""Who is calling and what they may do: Okta access tokens, the route policy, the principal a
function sees, and tenant access.

Kept import-free on purpose: the authorizer imports only the modules it needs (no boto3).
"""
