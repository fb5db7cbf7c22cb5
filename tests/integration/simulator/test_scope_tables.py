"""The product's scope table (xero_bridge.xero.scopes) and the simulator's, which stands for
Xero, agree on every call the simulator serves and on which scopes exist."""

from __future__ import annotations

from devstack.xero_simulator import XeroSimulator
from devstack.xero_simulator import scopes as sim_scopes
from tests.integration.simulator.routes import accounting_calls
from xero_bridge.xero import scopes


def test_both_tables_accept_the_same_scopes_for_every_served_call():
    calls = accounting_calls(XeroSimulator())
    assert len(calls) > 50
    disagreements = []
    for method, path in calls:
        need = scopes.requirement(method, path)
        simulated = sim_scopes.scopes_allowing(method, path)
        if need is None or set(need.accepted) != simulated:
            disagreements.append((method, path, need and sorted(need.accepted), sorted(simulated)))
        elif need.scope not in simulated:
            disagreements.append((method, path, need.scope, sorted(simulated)))
    assert disagreements == []


def test_both_know_the_same_scopes():
    assert scopes.known_scopes() == sim_scopes.KNOWN
    assert scopes.BROAD_SCOPES == sim_scopes.BROAD
