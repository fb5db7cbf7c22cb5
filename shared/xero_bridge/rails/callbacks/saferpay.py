"""Saferpay's notifications: a plain GET of the notify URL we gave Initialize
(``/webhooks/saferpay/{linkId}``), unsigned and without a body, up to three tries — and the
payer's browser coming back to our return page (``…/{linkId}/return``), which says the same.

Neither can be verified, and neither needs to be: it only says "ask me". `verify` is "the link
exists" (an unknown id is turned away and queues nothing); the worker then Asserts the link's
token at Saferpay, and only Assert's answer moves the payment. A forged notification for a
real link costs one Assert and changes nothing that Saferpay does not say.

An unsigned GET carries nothing but its URL, so that is what the intake queues as its body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from xero_bridge.persistence import payment_links
from xero_bridge.rails.callbacks.base import Notice

RAIL = "saferpay"
_PATH = re.compile(
    r"^/webhooks/saferpay/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"(/return)?/?$"
)


def link_id_of(body: bytes) -> str | None:
    """The link a notification's URL (its queued body) names; None for anything else."""
    try:
        path = body.decode("ascii").split("?", 1)[0]
    except UnicodeDecodeError:
        return None
    found = _PATH.match(path.lower())
    return found.group(1) if found else None


class SaferpayCallbacks:
    name = "saferpay"

    def verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        link_id = link_id_of(body)
        return link_id is not None and payment_links.get(link_id) is not None

    def notices(self, headers: Mapping[str, str], body: bytes) -> list[Notice]:
        link_id = link_id_of(body)
        if link_id is None:
            return []
        event = "return" if body.rstrip(b"/").endswith(b"/return") else "notify"
        return [Notice(RAIL, link_id, event)]


def is_return(path: str) -> bool:
    """Whether a GET is the payer's browser coming back (our return page), not Saferpay."""
    return path.rstrip("/").endswith("/return")


def return_page(known: bool) -> str:
    """What the payer's browser shows after the payment page: we do not know the outcome yet
    (Saferpay tells us by Assert, moments later), so it promises nothing."""
    if known:
        heading = "Thank you"
        text = (
            "Your payment is being confirmed with the card issuer. You will not be charged"
            " twice; you may close this page."
        )
    else:
        heading, text = "Payment link not found", "This payment link does not exist."
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{heading}</title></head><body><h1>{heading}</h1><p>{text}</p></body></html>"
    )
