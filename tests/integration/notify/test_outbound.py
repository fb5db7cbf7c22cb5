"""The HTTP POST every delivery and alert makes: pinned to checked addresses, bounded in
time and size, no redirects followed."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

from devstack.receiver import Behaviour, Receiver
from xero_bridge.notify import addresses, outbound


def test_a_2xx_counts_and_the_receiver_gets_the_body_and_headers(receiver: Receiver) -> None:
    answer = outbound.post(
        f"{receiver.url}/hooks/a",
        b'{"id":"evt_1"}',
        {"Content-Type": "application/json", "X-Test": "yes"},
        allow_loopback=True,
    )
    assert answer.ok and answer.status == 200 and answer.error is None
    assert '"received": true' in answer.excerpt
    [call] = receiver.calls("/hooks/a")
    assert call.body == '{"id":"evt_1"}'
    assert call.headers["X-Test"] == "yes"
    assert call.headers["User-Agent"] == outbound.USER_AGENT


def test_without_the_local_setting_loopback_is_refused_before_any_request(
    receiver: Receiver,
) -> None:
    answer = outbound.post(f"{receiver.url}/hooks/a", b"{}", {})
    assert not answer.ok and answer.status is None
    assert answer.error is not None and answer.error.startswith("refused:")
    assert receiver.calls() == []


def test_a_redirect_is_an_answer_not_a_way_elsewhere(receiver: Receiver) -> None:
    receiver.behave(
        Behaviour("/hooks/moved", statuses=[302], headers={"Location": f"{receiver.url}/hooks/b"})
    )
    answer = outbound.post(f"{receiver.url}/hooks/moved", b"{}", {}, allow_loopback=True)
    assert answer.status == 302 and not answer.ok
    assert [c.path for c in receiver.calls()] == ["/hooks/moved"]  # /hooks/b never asked


def test_a_slow_receiver_is_given_up_on_at_the_deadline(receiver: Receiver) -> None:
    receiver.behave(Behaviour("/hooks/slow", delay_seconds=3))
    started = time.monotonic()
    answer = outbound.post(
        f"{receiver.url}/hooks/slow", b"{}", {}, timeout=0.5, allow_loopback=True
    )
    assert time.monotonic() - started < 1.5
    assert answer.status is None and answer.error == "no answer within 0.5 s"


def test_only_the_first_bytes_of_a_huge_answer_are_read(receiver: Receiver) -> None:
    receiver.behave(Behaviour("/hooks/big", statuses=[200], body="x" * 5_000_000))
    answer = outbound.post(
        f"{receiver.url}/hooks/big", b"{}", {}, max_bytes=4096, allow_loopback=True
    )
    assert answer.ok
    assert len(answer.excerpt) == outbound.EXCERPT_BYTES


# ---------------------------------------------------------------- pinning, over real TLS
def _certificate(tmp_path: Path, host: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, Receiver]]:
    """The receiver over HTTPS with a certificate for hooks.acme-erp.com, trusted by the client."""
    cert, key = _certificate(tmp_path, "hooks.acme-erp.com")
    receiving = Receiver()
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    server = make_server("127.0.0.1", 0, receiving.app, threaded=True, ssl_context=server_context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client_context = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(outbound, "_ssl_context", lambda: client_context)
    yield server.server_port, receiving
    server.shutdown()
    server.server_close()


def test_the_connection_goes_to_the_checked_address_and_tls_checks_the_name(
    tls_receiver: tuple[int, Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, receiving = tls_receiver
    lookups: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]  # what DNS said when it was checked

    monkeypatch.setattr(addresses, "resolver", resolve)
    answer = outbound.post(
        f"https://hooks.acme-erp.com:{port}/hooks/pinned", b"{}", {}, allow_loopback=True
    )
    assert answer.ok, answer
    assert lookups == ["hooks.acme-erp.com"]  # resolved once: no second lookup to rebind
    [call] = receiving.calls("/hooks/pinned")
    assert call.headers["Host"] == f"hooks.acme-erp.com:{port}"
    # The same address under a name the certificate does not carry: TLS refuses it.
    monkeypatch.setattr(addresses, "resolver", lambda host, port: ["127.0.0.1"])
    other = outbound.post(
        f"https://other.acme-erp.com:{port}/hooks/x", b"{}", {}, allow_loopback=True
    )
    assert not other.ok and other.status is None and "could not connect" in (other.error or "")


def test_a_name_that_resolves_inside_is_refused_whatever_the_url_says(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    for address in ("127.0.0.1", "169.254.169.254", "10.0.0.8"):
        monkeypatch.setattr(addresses, "resolver", lambda host, port, a=address: [a])
        answer = outbound.post("https://hooks.acme-erp.com/x", b"{}", {})
        assert answer.status is None and "resolves to" in (answer.error or ""), address
    assert ipaddress.ip_address("169.254.169.254").is_link_local
    assert receiver.calls() == []
