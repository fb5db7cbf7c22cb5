"""The funding account: balances and withdrawals, behind one lock.

A withdrawal freezes its amount plus the fee when it is accepted; success deducts them from
the balance, failure or cancellation releases them. States move on with the simulator clock
(`settle` catches them up before anything is read). A clientId is taken for good by the
first withdrawal that names it: a second request with it never creates a second withdrawal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from devstack.sim_kit.locked_state import LockedState

from .config import OkxConfig
from .errors import OkxError
from .lifecycle import CANCELED, CANCELLABLE, FINAL, OUTCOMES, SUCCESS, Withdrawal, continuation
from .requests import WithdrawalRequest
from .wire import number

FIRST_WD_ID = 170_000_001


@dataclass
class Balance:
    bal: Decimal
    frozen: Decimal = Decimal(0)

    @property
    def avail(self) -> Decimal:
        return self.bal - self.frozen


class Ledger(LockedState):
    def __init__(self, config: Callable[[], OkxConfig], now: Callable[[], float]) -> None:
        self._config = config
        self._now = now
        super().__init__()

    def _empty(self) -> None:
        self.balances = {c: Balance(v) for c, v in self._config().balances.items()}
        self.withdrawals: dict[str, Withdrawal] = {}
        self.by_client_id: dict[str, str] = {}
        self.next_paths: deque[tuple[str, ...]] = deque()
        self._next_id = FIRST_WD_ID

    # --- withdrawals ---------------------------------------------------------------------

    def withdraw(self, request: WithdrawalRequest) -> Withdrawal:
        """Accepts the withdrawal or raises the OkxError OKX would answer; atomic."""
        config = self._config()
        with self.lock:
            self.settle()
            if request.client_id and request.client_id in self.by_client_id:
                raise OkxError("58404")
            spec = request.spec
            if (spec.ccy, spec.chain, request.to_addr) not in set(config.verified_addresses):
                raise OkxError("58207")
            if request.amt < spec.min_wd:
                raise OkxError("58206")
            if request.amt > spec.max_wd:
                raise OkxError("58205")
            balance = self.balances.get(spec.ccy) or Balance(Decimal(0))
            if balance.avail < request.amt:
                raise OkxError("58350")
            if balance.avail < request.amt + spec.fee:
                raise OkxError("58229", fee=number(spec.fee), ccy=spec.ccy)
            return self._accept(request, balance)

    def _accept(self, request: WithdrawalRequest, balance: Balance) -> Withdrawal:
        now = self._now()
        path = self.next_paths.popleft() if self.next_paths else OUTCOMES["success"]
        withdrawal = Withdrawal(
            wd_id=str(self._next_id),
            client_id=request.client_id,
            ccy=request.spec.ccy,
            chain=request.spec.chain,
            amt=request.amt,
            amt_text=request.amt_text,
            fee=request.spec.fee,
            to=request.to_addr,
            created_at=now,
            entered_at=now,
            state=path[0],
            ahead=list(path[1:]),
        )
        self._next_id += 1
        balance.frozen += withdrawal.frozen
        self.balances[withdrawal.ccy] = balance
        self.withdrawals[withdrawal.wd_id] = withdrawal
        if withdrawal.client_id:
            self.by_client_id[withdrawal.client_id] = withdrawal.wd_id
        return withdrawal

    def cancel(self, wd_id: str) -> Withdrawal:
        """POST /asset/cancel-withdrawal: only from 0, 17 or 19; it goes -3, then -2."""
        with self.lock:
            self.settle()
            withdrawal = self.withdrawals.get(wd_id)
            if withdrawal is None:
                raise OkxError("58215")
            if withdrawal.state in ("-3", CANCELED):
                raise OkxError("58220")
            if withdrawal.state not in CANCELLABLE:
                raise OkxError("58216")
            self._move(withdrawal, "-3")
            withdrawal.ahead = [CANCELED]
            return withdrawal

    # --- time ----------------------------------------------------------------------------

    def settle(self) -> None:
        """Moves every withdrawal on to the state the clock says it has reached."""
        dwell = self._config().state_seconds
        now = self._now()
        with self.lock:
            for withdrawal in self.withdrawals.values():
                while withdrawal.due(now, dwell):
                    withdrawal.entered_at += dwell
                    withdrawal.step()
                    self._book(withdrawal)

    def _move(self, withdrawal: Withdrawal, state: str) -> None:
        """Puts a withdrawal in `state` now, whatever was planned."""
        withdrawal.ahead = [state]
        withdrawal.step()
        withdrawal.entered_at = self._now()
        self._book(withdrawal)

    def _book(self, withdrawal: Withdrawal) -> None:
        """A final state moves the money: deducted on success, released otherwise."""
        if withdrawal.state not in FINAL:
            return
        balance = self.balances[withdrawal.ccy]
        balance.frozen -= withdrawal.frozen
        if withdrawal.state == SUCCESS:
            balance.bal -= withdrawal.frozen

    # --- control (the /_sim surface) -----------------------------------------------------

    def plan_next(self, path: tuple[str, ...]) -> None:
        with self.lock:
            self.next_paths.append(path)

    def replan(self, wd_id: str, outcome: str | None, states: tuple[str, ...] | None) -> None:
        """What a withdrawal does from its current state on: a named outcome or states."""
        with self.lock:
            self.settle()
            withdrawal = self._get(wd_id)
            if withdrawal.state in FINAL:
                raise ValueError(f"withdrawal {wd_id} is already final ({withdrawal.state})")
            withdrawal.ahead = list(states or continuation(withdrawal.state, outcome or ""))
            withdrawal.entered_at = self._now()

    def force_state(self, wd_id: str, state: str) -> None:
        with self.lock:
            self.settle()
            withdrawal = self._get(wd_id)
            if withdrawal.state in FINAL:
                raise ValueError(f"withdrawal {wd_id} is already final ({withdrawal.state})")
            self._move(withdrawal, state)
            withdrawal.ahead = []

    def set_balance(self, ccy: str, bal: Decimal) -> None:
        with self.lock:
            balance = self.balances.setdefault(ccy, Balance(Decimal(0)))
            if bal < balance.frozen:
                raise ValueError(f"{ccy} {bal} is less than the frozen {balance.frozen}")
            balance.bal = bal

    def _get(self, wd_id: str) -> Withdrawal:
        withdrawal = self.withdrawals.get(wd_id)
        if withdrawal is None:
            raise KeyError(f"no withdrawal {wd_id}")
        return withdrawal
