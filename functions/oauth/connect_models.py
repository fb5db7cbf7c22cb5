"""The connect API's request and answer shapes (POST /xero/connect, GET /xero/connections)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ScopeName = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class ConnectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    return_to: str | None = Field(None, max_length=2048)
    scopes: list[ScopeName] | None = Field(
        None,
        min_length=1,
        max_length=40,
        description=(
            "The Xero scopes to ask for instead of the default set (XERO_SCOPES), as a list "
            'of names, e.g. ["accounting.invoices", "accounting.payments"]: the complete set '
            "for this consent, so fewer for least privilege, or the current ones plus the one "
            "a 403 xero_scope_missing named. openid, profile, email and offline_access are "
            "always added; an unknown name is a 400 naming it."
        ),
    )


class ConnectionOut(BaseModel):
    tenant_id: str
    tenant_name: str | None
    tenant_type: str | None
    kind: str = Field(description="`oauth` (a person consented) or `custom` (client credentials)")
    status: str = Field(description="`active` or `needs_reconnect`")
    scopes: list[str] = Field(description="The scopes Xero granted")
    missing_scopes: list[str] = Field(
        description="Scopes the product asks for that this connection lacks: reconnect to add"
    )
    access_token_expires_at: str | None
    refresh_token_age_days: int | None
    connected_by: str | None
    connected_at: str | None


class ConnectionList(BaseModel):
    connections: list[ConnectionOut] = Field(description="Sorted by name")
