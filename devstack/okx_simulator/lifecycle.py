"""A withdrawal's states, as GET /api/v5/asset/withdrawal-history reports them, and the paths
a withdrawal takes through them over simulated time.

Stage 1, pending: 0 waiting withdrawal, 10 waiting transfer, 17 pending response from the
Travel Rule vendor, 19 insufficient balance in the hot wallet, 4/5/6/8/9/12 waiting manual
review, 7 approved. Stage 2, in progress: 1 broadcasting to chain, 15 pending transaction
validation, 16 delayed by local regulation (up to 24 h), -3 canceling. Final: 2 success,
-1 failed, -2 canceled. Only 0, 17 and 19 can be cancelled by the user.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

PENDING = ("0", "10", "17", "19", "4", "5", "6", "8", "9", "12", "7")
IN_PROGRESS = ("1", "15", "16", "-3")
FINAL = ("2", "-1", "-2")
STATES = PENDING + IN_PROGRESS + FINAL
MANUAL_REVIEW = ("4", "5", "6", "8", "9", "12")
CANCELLABLE = ("0", "17", "19")
SUCCESS, FAILED, CANCELED = "2", "-1", "-2"
BROADCAST = "1"  # from here on the withdrawal has an on-chain transaction (txId)

# Named outcomes: the states a new withdrawal goes through, starting at 0. One that ends in
# a non-final state stays there until told otherwise (`continuation`, or a forced state).
OUTCOMES: dict[str, tuple[str, ...]] = {
    "success": ("0", "1", "2"),
    "failure": ("0", "1", "-1"),
    "cancel": ("0", "-3", "-2"),
    "review": ("0", "4"),  # waiting manual review, until decided
    "travel_rule": ("0", "17"),
    "hot_wallet": ("0", "19"),
    "validation": ("0", "1", "15", "2"),
    "local_delay": ("0", "1", "16", "2"),
}


def check_path(states: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A path tests may script: known states, ending at (and having) at most one final."""
    path = tuple(str(s) for s in states)
    unknown = [s for s in path if s not in STATES]
    if not path or unknown:
        raise ValueError(f"states must be OKX withdrawal states, not {unknown or 'nothing'}")
    if any(s in FINAL for s in path[:-1]):
        raise ValueError("a final state (2, -1, -2) can only come last")
    return path


def continuation(current: str, outcome: str) -> tuple[str, ...]:
    """The states after `current` that lead to `outcome` ("success", "failure", "cancel")."""
    if current in FINAL:
        raise ValueError(f"the withdrawal is already final ({current})")
    if outcome == "cancel":
        return ("-2",) if current == "-3" else ("-3", "-2")
    if outcome not in ("success", "failure"):
        raise ValueError("outcome must be success, failure or cancel")
    end = SUCCESS if outcome == "success" else FAILED
    if current in IN_PROGRESS:
        return (end,)
    approval = ("7",) if current in MANUAL_REVIEW else ()
    return (*approval, BROADCAST, end)


@dataclass
class Withdrawal:
    wd_id: str
    client_id: str
    ccy: str
    chain: str
    amt: Decimal
    amt_text: str  # as the caller wrote it: OKX echoes amt back
    fee: Decimal
    to: str
    created_at: float
    entered_at: float  # when it entered its current state
    state: str = "0"
    ahead: list[str] = field(default_factory=list)  # states still to come, in order
    tx_id: str = ""

    @property
    def frozen(self) -> Decimal:
        """What the withdrawal holds of the balance: the amount and the fee on top."""
        return self.amt + self.fee

    def step(self) -> None:
        self.state = self.ahead.pop(0)
        if self.state == BROADCAST and not self.tx_id:
            self.tx_id = _tx_hash(self)

    def due(self, now: float, dwell: float) -> bool:
        return bool(self.ahead) and now >= self.entered_at + dwell


def _tx_hash(withdrawal: Withdrawal) -> str:
    # A stable, chain-looking hash: 64 hex digits (TRON and Ethereum txIds look like this).
    seed = f"{withdrawal.wd_id}:{withdrawal.to}:{withdrawal.amt}".encode()
    digest = hashlib.sha256(seed).hexdigest()
    return digest if withdrawal.chain.endswith("TRC20") else f"0x{digest}"
