"""Who a bill is paid to, and what Solaris's Verification of Payee said about them.

The payee is the request's ``payee`` or, by default, the bill's contact as Xero holds it: its
``Name`` and the IBAN in its ``BankAccountDetails`` (people type spaces; the checksum is
verified). Nothing about a payee is ever changed without someone saying so: the name sent
is the one verified, or a CLOSE_MATCH's suggested name once an approver has accepted it.

What each verification result means here:

| result | the payment |
|---|---|
| ``MATCH`` | proceeds (four eyes only above the threshold) |
| ``CLOSE_MATCH`` | waits for an approver, who must accept ``suggested_name`` explicitly |
| ``NO_MATCH`` | is refused (422 ``payee_verification_failed``); nothing is stored or sent |
| ``VERIFICATION_NOT_POSSIBLE`` · ``VERIFICATION_NOT_SUPPORTED`` | waits for an approver |

A verification lives a few minutes. When it has expired by the time the payment is sent (an
approval takes hours), the payee is verified again with the name to be sent; the payment
goes only if that says ``MATCH`` or exactly what the approver saw — else it fails, saying so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from xero_bridge.rails import iban as ibans
from xero_bridge.rails.errors import PayeeInvalidError, PayeeVerificationFailedError

if TYPE_CHECKING:
    from xero_bridge.payments.validation import CheckedPayment

MATCH, CLOSE_MATCH, NO_MATCH = "MATCH", "CLOSE_MATCH", "NO_MATCH"
STATUSES = (MATCH, CLOSE_MATCH, NO_MATCH, "VERIFICATION_NOT_POSSIBLE", "VERIFICATION_NOT_SUPPORTED")
FRESH_MARGIN = timedelta(seconds=30)  # a verification about to expire is made again
MAX_NAME = 70  # SEPA's limit for the recipient's name


@dataclass(frozen=True)
class Payee:
    name: str
    iban: str
    bic: str | None
    source: str  # "request" or "contact"
    contact_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def payee_of(checked: CheckedPayment) -> Payee:
    """The request's payee, else the bill contact's name and IBAN (PayeeInvalidError)."""
    given = checked.request.payee
    if given is not None:
        return Payee(given.name, given.iban, given.bic, "request")
    contact = checked.contact or {}
    contact_id = str(contact.get("ContactID") or "").lower() or None
    where = {"field": "payee", "contact_id": contact_id}
    name = " ".join(str(contact.get("Name") or "").split())
    details = str(contact.get("BankAccountDetails") or "").strip()
    if not contact:
        raise PayeeInvalidError("the bill's contact could not be read: give `payee`", [where])
    if not details:
        raise PayeeInvalidError(
            f"{name or 'the contact'} has no bank details in Xero: add the IBAN there, or give"
            " `payee`",
            [where],
        )
    try:
        iban = ibans.parse(details)
    except ibans.IbanError as exc:
        raise PayeeInvalidError(
            f"the bank details of {name} in Xero are not a valid IBAN: they {exc}",
            [{**where, "problem": f"BankAccountDetails {exc}"}],
        ) from None
    if not name or len(name) > MAX_NAME:
        raise PayeeInvalidError(f"the contact's name must be 1 to {MAX_NAME} characters", [where])
    return Payee(name, iban, None, "contact", contact_id)


def verification_of(answer: dict[str, Any], name: str) -> dict[str, Any]:
    """Solaris's answer as we keep it on the payment."""
    result = answer.get("result") or {}
    return {
        "id": str(answer.get("id") or ""),
        "status": str(result.get("status") or "VERIFICATION_NOT_POSSIBLE"),
        "suggested_name": result.get("suggested_name") or None,
        "name": name,
        "verified_at": answer.get("created_at"),
        "expires_at": answer.get("expires_at"),
    }


def refuse_no_match(verification: dict[str, Any], payee: Payee) -> None:
    if verification["status"] == NO_MATCH:
        raise PayeeVerificationFailedError(
            f"Verification of Payee: the account {ibans.masked(payee.iban)} does not belong to"
            f" {payee.name} (NO_MATCH); nothing was sent. Check the IBAN and the name.",
            [{"field": "payee", "verification": NO_MATCH, "name": payee.name}],
        )


def approval_reason(verification: dict[str, Any]) -> str | None:
    status = verification["status"]
    if status == MATCH:
        return None
    if status == CLOSE_MATCH:
        suggested = verification["suggested_name"]
        return f"Verification of Payee: CLOSE_MATCH, the bank suggests {suggested!r}"
    return f"Verification of Payee: {status}"


def is_fresh(verification: dict[str, Any] | None, now: datetime | None = None) -> bool:
    expires = _parse_time((verification or {}).get("expires_at"))
    now = now or datetime.now(UTC)
    return expires is not None and expires - FRESH_MARGIN > now


def still_acceptable(approved: dict[str, Any], again: dict[str, Any]) -> bool:
    """A verification made again may go ahead: MATCH, or what the approver saw, unchanged."""
    if again["status"] == MATCH:
        return True
    return again["status"] == approved["status"] and (
        again.get("suggested_name") == approved.get("suggested_name")
    )


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
