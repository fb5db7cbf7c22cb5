"""The simulated OKX account: API keys, funding balances, verified addresses, chains, prices
and limits. Defaults come from devstack/demo_data.py, which every simulator agrees on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from devstack import demo_data

# A demo-trading API key (OKX issues separate keys for demo trading): it only works with
# `x-simulated-trading: 1`, and demo trading has no withdrawals.
DEMO_TRADING_API_KEY = "demo-okx-demo-trading-api-key"
DEMO_TRADING_SECRET_KEY = "demo-okx-demo-trading-secret-for-local-development-only"
DEMO_TRADING_PASSPHRASE = "demo-okx-demo-trading-passphrase"

# The account's login, which OKX reports as a withdrawal's `from`.
ACCOUNT_LOGIN = "treasury@demo.example.com"


@dataclass(frozen=True)
class ChainSpec:
    """One currency on one chain, as GET /api/v5/asset/currencies describes it."""

    ccy: str
    chain: str
    name: str
    fee: Decimal  # fixed on-chain withdrawal fee, in ccy, charged on top of amt
    min_wd: Decimal
    max_wd: Decimal
    wd_tick_sz: int  # decimal places allowed in amt
    ct_addr: str
    min_dep_arrival_confirm: int
    min_wd_unlock_confirm: int
    main_net: bool = False  # the chain used when a withdrawal names none
    can_wd: bool = True
    can_dep: bool = True


def _default_chains() -> list[ChainSpec]:
    return [
        ChainSpec(
            "USDT", "USDT-ERC20", "Tether", Decimal("3"), Decimal("2"), Decimal("1000000"), 6,
            "0xdac17f958d2ee523a2206206994597c13d831ec7", 64, 96, main_net=True,
        ),
        ChainSpec(
            "USDT", "USDT-TRC20", "Tether", Decimal("1.5"), Decimal("0.1"), Decimal("1000000"),
            6, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 20, 38,
        ),
        ChainSpec(
            "USDC", "USDC-ERC20", "USD Coin", Decimal("3"), Decimal("2"), Decimal("1000000"), 6,
            "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", 64, 96, main_net=True,
        ),
    ]  # fmt: skip


@dataclass(frozen=True)
class Credential:
    api_key: str
    secret_key: str
    passphrase: str
    demo_trading: bool = False


@dataclass(frozen=True)
class Limit:
    """At most `count` requests per `seconds`, per API key (per IP for public endpoints)."""

    count: int
    seconds: float


def _default_limits() -> dict[str, Limit]:
    # OKX's documented limits for these endpoints.
    return {
        "withdrawal": Limit(6, 1.0),
        "cancel-withdrawal": Limit(6, 1.0),
        "withdrawal-history": Limit(6, 1.0),
        "balances": Limit(6, 1.0),
        "currencies": Limit(6, 1.0),
        "ticker": Limit(20, 2.0),
        "time": Limit(10, 2.0),
    }


@dataclass
class OkxConfig:
    api_key: str = demo_data.OKX_API_KEY
    secret_key: str = demo_data.OKX_SECRET_KEY
    passphrase: str = demo_data.OKX_PASSPHRASE
    demo_trading: Credential = field(
        default_factory=lambda: Credential(
            DEMO_TRADING_API_KEY, DEMO_TRADING_SECRET_KEY, DEMO_TRADING_PASSPHRASE, True
        )
    )
    balances: dict[str, Decimal] = field(default_factory=lambda: dict(demo_data.OKX_BALANCES))
    # (ccy, chain, address) triples verified in the account's address book.
    verified_addresses: list[tuple[str, str, str]] = field(
        default_factory=lambda: list(demo_data.OKX_VERIFIED_ADDRESSES)
    )
    tickers: dict[str, Decimal] = field(default_factory=lambda: dict(demo_data.OKX_TICKERS))
    chains: list[ChainSpec] = field(default_factory=_default_chains)
    limits: dict[str, Limit] = field(default_factory=_default_limits)
    # OKX refuses a request whose timestamp is more than 30 s from its own clock.
    timestamp_window: float = 30.0
    # Simulated seconds a withdrawal spends in each state before its next one.
    state_seconds: float = 10.0
    # OKX's 24 h withdrawal quota, in USD (reported by /currencies).
    wd_quota_usd: Decimal = Decimal("10000000")
    account_login: str = ACCOUNT_LOGIN

    def credentials(self) -> dict[str, Credential]:
        live = Credential(self.api_key, self.secret_key, self.passphrase)
        return {live.api_key: live, self.demo_trading.api_key: self.demo_trading}

    def chain(self, ccy: str, chain: str | None) -> ChainSpec | None:
        """The named chain of ccy, or its main chain when none is named."""
        for spec in self.chains:
            if spec.ccy == ccy and (spec.chain == chain if chain else spec.main_net):
                return spec
        return None

    def knows_ccy(self, ccy: str) -> bool:
        return any(spec.ccy == ccy for spec in self.chains)
