"""The discovery document of the custom authorization server ``default`` (no Flask here, so
``make token`` stays quick to start)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .issuer import DevOktaIssuer

RESPONSE_MODES = ["query", "fragment", "form_post", "okta_post_message"]
CLAIMS = [
    *("ver", "jti", "iss", "sub", "aud", "iat", "exp", "cid", "uid", "scp", "auth_time"),
    *("amr", "idp", "nonce", "at_hash", "name", "given_name", "family_name"),
    *("preferred_username", "email", "email_verified", "zoneinfo", "locale", "groups"),
]


def discovery_document(okta: DevOktaIssuer) -> dict[str, Any]:
    """What Okta publishes for a custom authorization server (the endpoints we serve)."""
    issuer = okta.issuer
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/v1/authorize",
        "token_endpoint": f"{issuer}/v1/token",
        "userinfo_endpoint": f"{issuer}/v1/userinfo",
        "jwks_uri": f"{issuer}/v1/keys",
        "response_types_supported": ["code"],
        "response_modes_supported": RESPONSE_MODES,
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": list(okta.policy.scopes),
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": CLAIMS,
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": f"{issuer}/v1/introspect",
        "introspection_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint": f"{issuer}/v1/revoke",
        "revocation_endpoint_auth_methods_supported": ["none"],
        "end_session_endpoint": f"{issuer}/v1/logout",
        "request_parameter_supported": False,
        "prompt_values_supported": ["none", "consent", "login"],
    }
