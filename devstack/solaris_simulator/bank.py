"""The account at Solaris: balance, reservations, bookings, transfers and payee checks.

Everything here runs under ``Bank.lock``, so twenty concurrent posts of one reference see
one another and make one transfer. Events (BOOKING, SEPA_CREDIT_TRANSACTION_DECLINED) go to
``on_event``, which only queues them: nothing here waits on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from devstack.sim_kit.clock import SimClock
from devstack.sim_kit.locked_state import ClockedState

from . import vop
from .config import SolarisConfig
from .errors import not_found, unprocessable
from .models import Booking, ChangeRequest, Transfer
from .validation import TransferRequest
from .wire import new_id

# (event type, entity id, payload, when it happened on the simulated clock)
EventSink = Callable[[str, str, dict[str, Any], float], object]


class Bank(ClockedState[SolarisConfig]):
    def __init__(
        self,
        clock: SimClock,
        config: Callable[[], SolarisConfig],
        base_url: Callable[[], str],
        on_event: EventSink,
    ) -> None:
        self.base_url = base_url
        self.on_event = on_event
        super().__init__(clock, config)

    def _empty(self) -> None:
        self.base_balance = self.config().opening_balance_cents
        self.transfers: dict[str, Transfer] = {}
        self.bookings: list[Booking] = []
        self.change_requests: dict[str, ChangeRequest] = {}
        self.verifications: dict[str, vop.Verification] = {}
        # (account id, reference) -> ("transfer" | "change_request", id)
        self.references: dict[tuple[str, str], tuple[str, str]] = {}

    # --- ledger ---------------------------------------------------------------------------

    def balance(self) -> int:
        """Posted bookings only, as Solaris's `balance`."""
        with self.lock:
            return self.base_balance + sum(b.amount_cents for b in self.bookings)

    def available(self) -> int:
        """`balance` less what accepted transfers hold in reservation."""
        with self.lock:
            held = sum(
                t.request.amount_cents for t in self.transfers.values() if t.status == "accepted"
            )
            return self.balance() - held

    def set_balance(self, cents: int) -> None:
        with self.lock:
            self.base_balance = cents - sum(b.amount_cents for b in self.bookings)

    # --- verification of payee ------------------------------------------------------------

    def verify(self, iban: str, name: str) -> vop.Verification:
        config = self.config()
        with self.lock:
            found = vop.create(config.payees, iban, name, self.clock.now(), config.verification_ttl)
            self.verifications[found.id] = found
            return found

    def verification(self, verification_id: str) -> vop.Verification:
        with self.lock:
            found = self.verifications.get(verification_id)
        if found is None:
            raise not_found("VerificationOfPayee", verification_id)
        return found

    # --- transfers ------------------------------------------------------------------------

    def submit(
        self, account_id: str, person_id: str, request: TransferRequest
    ) -> tuple[int, dict[str, Any]]:
        """201 a new transfer, 202 a new change request, 200/202 what the reference made."""
        with self.lock:
            existing = self._existing(account_id, request.reference)
            if existing is not None:
                return existing
            transfer_id = new_id("sctx")
            self.check_new(request, transfer_id)
            now = self.clock.now()
            if request.change_request_enabled:
                change = ChangeRequest(
                    new_id(), person_id, account_id, request, transfer_id, now, now
                )
                self.change_requests[change.id] = change
                vop.mark_used(
                    self.verifications[request.verification_of_payee_id], transfer_id, now
                )
                self._remember(account_id, request.reference, ("change_request", change.id))
                return 202, change.render(self.base_url())
            transfer = self.book_transfer(account_id, request, transfer_id)
            return 201, transfer.render()

    def _existing(
        self, account_id: str, reference: str | None
    ) -> tuple[int, dict[str, Any]] | None:
        if reference is None:
            return None
        kind, found_id = self.references.get((account_id, reference), ("", ""))
        if kind == "transfer":
            return 200, self.transfers[found_id].render()
        if kind == "change_request":
            return 202, self.change_requests[found_id].render(self.base_url())
        return None

    def _remember(self, account_id: str, reference: str | None, target: tuple[str, str]) -> None:
        if reference is not None:
            self.references[(account_id, reference)] = target

    def forget_reference(self, account_id: str, reference: str | None) -> None:
        """A failed change request made nothing: the reference may be used again."""
        if reference is not None:
            self.references.pop((account_id, reference), None)

    def check_new(self, request: TransferRequest, transfer_id: str) -> None:
        """A live VoP for this payee, and the money available (else 422, nothing made)."""
        vop.check_usable(
            self.verifications.get(request.verification_of_payee_id),
            request.recipient_iban,
            request.recipient_name,
            transfer_id,
            self.clock.now(),
        )
        self.check_funds(request)

    def check_funds(self, request: TransferRequest) -> None:
        if request.amount_cents > self.available():
            raise unprocessable(
                "insufficient_funds",
                "Insufficient Funds",
                "The account's available balance does not cover the amount",
                "amount",
            )

    def book_transfer(
        self, account_id: str, request: TransferRequest, transfer_id: str
    ) -> Transfer:
        """Accepts the transfer: the amount is reserved until the bank executes it."""
        config = self.config()
        now = self.clock.now()
        declines = any(p.declines for p in config.payees if p.iban == request.recipient_iban)
        transfer = Transfer(
            transfer_id, account_id, request, "accepted", now, now,
            now + config.execution_delay, declines,
        )  # fmt: skip
        self.transfers[transfer_id] = transfer
        vop.mark_used(self.verifications[request.verification_of_payee_id], transfer_id, now)
        self._remember(account_id, request.reference, ("transfer", transfer_id))
        return transfer

    def transfer(self, account_id: str, transfer_id: str) -> Transfer:
        with self.lock:
            found = self.transfers.get(transfer_id)
        if found is None or found.account_id != account_id:
            raise not_found("SepaCreditTransfer", transfer_id)
        return found

    # --- settlement -----------------------------------------------------------------------

    def settle_due(self, now: float) -> list[str]:
        """Executes (or declines) every accepted transfer whose time has come, in order."""
        with self.lock:
            due = sorted(
                (t for t in self.transfers.values() if t.status == "accepted" and t.due_at <= now),
                key=lambda t: t.due_at,
            )
            for transfer in due:
                self._settle(transfer)
            return [t.id for t in due]

    def settle_now(self, transfer_id: str | None = None) -> list[str]:
        now = self.clock.now()
        with self.lock:
            for transfer in self.transfers.values():
                if transfer.status == "accepted" and transfer_id in (None, transfer.id):
                    transfer.due_at = min(transfer.due_at, now)
            return self.settle_due(now)

    def _settle(self, transfer: Transfer) -> None:
        config = self.config()
        at = transfer.due_at
        transfer.updated_at = at
        if transfer.declines:
            # The payee's bank refuses it: the reservation goes, the money never left.
            transfer.status = "declined"
            transfer.rejection_reason = config.decline_reason
            self.on_event("SEPA_CREDIT_TRANSACTION_DECLINED", transfer.id, transfer.render(), at)
            return
        sender = (config.account_iban, config.account_bic, config.account_holder)
        booking = Booking(new_id("cboo"), transfer.account_id, transfer, at, sender)
        self.bookings.append(booking)
        transfer.status = "executed"
        transfer.booking_id = booking.id
        self.on_event("BOOKING", booking.id, booking.render(), at)
