"""Bad input is never a 500: schemathesis drives every operation of the API description
against the running local stack, in its three phases (examples, coverage, fuzzing), and
checks that no answer is a server error and every answer — status, content type, body —
is one the description documents.

The stack runs with Xero's limits raised (DEV_XERO_*_LIMIT) in the simulator and in the call
budget alike, so cases reach the handlers rather than the budget's 429s. The run is seeded
(tests/e2e/fuzz.toml) and bounded by examples per operation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, start_stack, stop_stack
from tests.e2e.drive import connect, make_token

# 10 generated cases per operation (on top of the examples and coverage phases) keep the run
# inside its time budget on a 2-core CI machine as the API grows; FUZZ_MAX_EXAMPLES raises it.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_MAX_EXAMPLES", "10"))
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
ALL_SCOPES = "xero:connect payments:write payments:approve ask records:read records:write admin"
RAISED_LIMITS = {
    "DEV_XERO_MINUTE_LIMIT": "100000",
    "DEV_XERO_DAY_LIMIT": "1000000",
    "DEV_XERO_CONCURRENT_LIMIT": "50",
}


def test_no_input_gets_a_server_error_or_an_undocumented_answer(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    state = tmp_path_factory.mktemp("fuzz-stack")
    stack = start_stack(state, RAISED_LIMITS)
    try:
        tenant = stack.settings["demo tenants"].split()[0]
        token = make_token(stack, "fuzzer", ALL_SCOPES, "admin")
        connect(stack, token, [tenant])
        report = state / "report"
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")),
                "--config-file",
                str(ROOT / "tests" / "e2e" / "fuzz.toml"),
                "run",
                f"{stack.api}/openapi.json",
                "--url",
                stack.api,
                "--phases",
                "examples,coverage,fuzzing",
                "--checks",
                ",".join(CHECKS),
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--header",
                f"Authorization: Bearer {token}",
                "--request-timeout",
                "30",
                "--report",
                "junit",
                "--report-dir",
                str(report),
                "--no-color",
                # No memory of earlier runs: the seed alone decides what is generated.
                "--generation-database",
                "none",
            ],
            env={**os.environ, "FUZZ_TENANT": tenant},
            capture_output=True,
            text=True,
            timeout=2700,
        )
        print(result.stdout[-20000:])
        artefacts = ROOT / ".devstack" / "fuzz-report"
        shutil.rmtree(artefacts, ignore_errors=True)
        shutil.copytree(report, artefacts, dirs_exist_ok=True)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    finally:
        stop_stack(stack)
