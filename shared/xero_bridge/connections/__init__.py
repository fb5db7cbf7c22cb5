"""Xero connections: connect (OAuth 2.0 + PKCE), list, disconnect, the refresh sweep, and
custom connections (client credentials). Logic only: the oauth and token_refresh functions
are the HTTP and schedule front doors."""
