"""How a copy says where it came from, inside Xero itself.

Every invoice copy carries, in its `Url` ("URL link to a source document, shown as 'Go to
[appName]' in the Xero app"), Xero's deep link to the source invoice:
`https://go.xero.com/organisationlogin/default.aspx?shortcode=<source ShortCode>
&redirecturl=/AccountsReceivable/View.aspx?InvoiceID=<id>` (Xero's documented form; bills
open under /AccountsPayable/). A person in the target can open the original; a mirror out
of the target sees that the invoice came from the organisation it would copy it into, and
does not copy it back — even before the copy marker in the links table is written.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

DEEP_LINK_HOST = "go.xero.com"
_LOGIN_PATH = "/organisationlogin/default.aspx"
_VIEWS = {"ACCREC": "/AccountsReceivable/View.aspx", "ACCPAY": "/AccountsPayable/View.aspx"}


def source_link(short_code: str, invoice_type: str, invoice_id: str) -> str:
    """Xero's deep link to an invoice (or bill) of the organisation with `short_code`."""
    view = _VIEWS.get(invoice_type, _VIEWS["ACCREC"])
    return (
        f"https://{DEEP_LINK_HOST}{_LOGIN_PATH}?shortcode={short_code}"
        f"&redirecturl={view}?InvoiceID={invoice_id}"
    )


def linked_short_code(url: object) -> str | None:
    """The ShortCode a deep link to an invoice names, or None when `url` is no such link."""
    if not isinstance(url, str) or not url:
        return None
    parts = urlsplit(url)
    if parts.hostname != DEEP_LINK_HOST or parts.path.lower() != _LOGIN_PATH:
        return None
    query = parse_qs(parts.query)
    redirect = (query.get("redirecturl") or [""])[0]
    if "invoiceid=" not in redirect.lower():
        return None
    codes = query.get("shortcode") or []
    return codes[0] if codes else None


def is_copy_from(url: object, short_code: str | None) -> bool:
    """Whether an invoice whose `Url` is `url` is a copy of one in the organisation with
    `short_code`."""
    return bool(short_code) and linked_short_code(url) == short_code
