"""Where a delivery may go: public HTTPS only, checked by name and by every address."""

from __future__ import annotations

import pytest

from xero_bridge.notify import addresses
from xero_bridge.notify.addresses import UnsafeTargetError, checked_addresses, parse_target


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "169.254.169.254",  # the instance metadata service
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fd00:ec2::254",  # metadata over IPv6
        "fe80::1",
        "::ffff:127.0.0.1",  # IPv4-mapped loopback
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_addresses_that_are_not_public_are_refused(address: str) -> None:
    assert addresses.address_problem(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:85e5", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert addresses.address_problem(address) is None


def test_loopback_is_allowed_only_with_the_local_stacks_setting() -> None:
    assert addresses.address_problem("127.0.0.1", allow_loopback=True) is None
    # the setting is about the local receiver, not the rest of the private space
    assert addresses.address_problem("10.0.0.1", allow_loopback=True) is not None
    assert addresses.address_problem("169.254.169.254", allow_loopback=True) is not None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://hooks.acme-erp.com/x", "https://"),
        ("ftp://hooks.acme-erp.com/x", "https://"),
        ("https://user:pw@hooks.acme-erp.com/x", "user name"),
        ("https://hooks.acme-erp.com/x#frag", "fragment"),
        ("https:///nohost", "no host"),
        ("https://hooks.acme-erp.com/a b", "spaces"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://[::1]/hook", "loopback"),
        ("https://10.0.0.5:8443/hook", "private"),
        ("https://hooks.acme-erp.com:99999/x", "cannot be read"),
        ("https://" + "a" * 2050 + ".com/", "longer"),
    ],
)
def test_urls_a_delivery_may_not_take(url: str, problem: str) -> None:
    with pytest.raises(UnsafeTargetError, match=problem):
        parse_target(url)


def test_the_local_stack_may_use_http_to_loopback_and_nothing_else() -> None:
    target = parse_target("http://127.0.0.1:3800/hooks/a", allow_loopback=True)
    assert (target.scheme, target.host, target.port) == ("http", "127.0.0.1", 3800)
    assert parse_target("http://localhost:3800/x", allow_loopback=True).host == "localhost"
    with pytest.raises(UnsafeTargetError, match="https://"):
        parse_target("http://hooks.acme-erp.com/x", allow_loopback=True)


def test_a_name_is_refused_when_any_of_its_addresses_is_not_public(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = {
        "public.acme-erp.com": ["93.184.216.34"],
        "sneaky.acme-erp.com": ["93.184.216.34", "127.0.0.1"],
        "metadata.acme-erp.com": ["169.254.169.254"],
        "private.acme-erp.com": ["10.0.0.7"],
    }
    monkeypatch.setattr(addresses, "resolver", lambda host, port: answers[host])
    assert checked_addresses(parse_target("https://public.acme-erp.com/h")) == ["93.184.216.34"]
    for host, problem in (
        ("sneaky", "loopback"),
        ("metadata", "link-local"),
        ("private", "private"),
    ):
        with pytest.raises(UnsafeTargetError, match=f"{host}.acme-erp.com resolves to a {problem}"):
            checked_addresses(parse_target(f"https://{host}.acme-erp.com/h"))


def test_a_name_that_does_not_resolve_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(addresses, "resolver", fail)
    with pytest.raises(UnsafeTargetError, match="does not resolve"):
        checked_addresses(parse_target("https://nowhere.acme-erp.com/h"))


@pytest.mark.parametrize(
    "url",
    [
        "https://erp.example.com/hooks",
        "https://hooks.test/x",
        "https://printer.local/x",
        "https://vault.internal/x",
        "https://intranet/x",  # one label: the resolver's search domains would complete it
        "https://router.home.arpa/x",
        "https://localhost/x",
    ],
)
def test_names_that_never_resolve_publicly_are_refused_before_any_lookup(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_lookup(host: str, port: int) -> list[str]:
        raise AssertionError("looked up")

    monkeypatch.setattr(addresses, "resolver", no_lookup)
    with pytest.raises(UnsafeTargetError, match="public"):
        checked_addresses(parse_target(url))
