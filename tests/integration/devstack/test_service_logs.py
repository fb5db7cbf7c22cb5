"""The services' chatter goes to files under the stack's state folder, not to the console."""

from __future__ import annotations

import logging
from pathlib import Path

import boto3
import httpx
import pytest

from devstack.aws import REGION, start_moto
from devstack.gateway import GatewayServer, LocalGateway
from devstack.service_logs import route_service_logs
from devstack.template import SamTemplate


@pytest.fixture
def logs(tmp_path: Path):
    undo = route_service_logs(tmp_path)
    yield tmp_path
    undo()


def test_a_moto_request_is_written_to_moto_log_and_not_to_the_console(logs, capfd) -> None:
    server, url = start_moto(0)
    try:
        sqs = boto3.client(
            "sqs",
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        sqs.list_queues()
    finally:
        server.stop()
    assert '"POST / HTTP/1.1" 200' in (logs / "moto.log").read_text()
    console = capfd.readouterr()
    assert "HTTP/1.1" not in console.out + console.err


def test_the_gateways_request_lines_go_to_gateway_log(logs, capfd) -> None:
    gateway = GatewayServer(LocalGateway(SamTemplate(), {}))
    gateway.start()
    try:
        httpx.get(f"{gateway.url}/no/such/route", timeout=5)
    finally:
        gateway.stop()
    assert '"GET /no/such/route HTTP/1.1" 404' in (logs / "gateway.log").read_text()
    assert "/no/such/route" not in (logs / "moto.log").read_text()
    console = capfd.readouterr()
    assert "HTTP/1.1" not in console.out + console.err


def test_colours_meant_for_a_terminal_are_left_out_of_the_file(logs) -> None:
    logging.getLogger("werkzeug").info('"\x1b[35m\x1b[1mGET /x HTTP/1.1\x1b[0m" 500 -')
    assert '"GET /x HTTP/1.1" 500 -' in (logs / "moto.log").read_text()


def test_undo_gives_the_loggers_back(tmp_path: Path) -> None:
    werkzeug = logging.getLogger("werkzeug")
    before = (list(werkzeug.handlers), werkzeug.propagate)
    route_service_logs(tmp_path)()
    assert (list(werkzeug.handlers), werkzeug.propagate) == before
