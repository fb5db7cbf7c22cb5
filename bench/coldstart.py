"""Cold-start import time of each function's handler module, beside two baselines.

Each sample is a fresh interpreter (like a Lambda cold start) that imports the handler
module the template names, the way the runtime does. Prints the median, min and max over
N samples of: the whole process wall time, and the import alone; and which heavy packages
the import pulled in (xero-python, openai, the validating event handler).

    .venv/bin/python bench/coldstart.py [--samples 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from devstack.template import SamTemplate  # noqa: E402

HEAVY = {
    "xero_python": "xero",
    "openai": "openai",
    "aws_lambda_powertools.event_handler.openapi.params": "validation",
}

_PROBE = """
import json, sys, time, importlib.util
started = time.perf_counter()
{load}
elapsed = time.perf_counter() - started
heavy = [label for module, label in {heavy!r}.items() if module in sys.modules]
print(json.dumps({{"import_s": elapsed, "heavy": heavy}}))
"""


def _load_statement(code_dir: Path, handler: str) -> str:
    module = handler.rpartition(".")[0]
    path = code_dir / f"{module}.py"
    return (
        f"sys.path.insert(0, {str(code_dir)!r})\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(path)!r})\n"
        "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)"
    )


def _sample(code: str) -> tuple[float, dict]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'shared'}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd="/"
    ).stdout
    wall = time.perf_counter() - started
    return wall, json.loads(output.strip().splitlines()[-1])


def measure(samples: int) -> list[dict]:
    cases = {
        "baseline: python -c pass": "pass",
        "baseline: import boto3": "import boto3",
    }
    template = SamTemplate()
    for function_id in sorted(template.functions()):
        code_dir, handler = template.function_code(function_id)
        cases[function_id] = _load_statement(code_dir, handler)
    results = []
    for name, load in cases.items():
        code = _PROBE.format(load=load, heavy=HEAVY)
        _sample(code)  # warm the OS file cache once; Lambda's image is warm on disk too
        walls, imports, heavy = [], [], []
        for _ in range(samples):
            wall, probe = _sample(code)
            walls.append(wall * 1000)
            imports.append(probe["import_s"] * 1000)
            heavy = probe["heavy"]
        results.append(
            {
                "name": name,
                "wall_ms_median": statistics.median(walls),
                "import_ms_median": statistics.median(imports),
                "import_ms_min": min(imports),
                "import_ms_max": max(imports),
                "heavy": heavy,
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=7)
    args = parser.parse_args()
    results = measure(args.samples)
    print(
        f"cold start, median of {args.samples} fresh interpreters (python {sys.version.split()[0]})"
    )
    print(
        f"{'function':32} {'process ms':>10} {'import ms':>10} {'min':>7} {'max':>7}  heavy imports"
    )
    for row in results:
        heavy = ",".join(row["heavy"]) or "-"
        print(
            f"{row['name']:32} {row['wall_ms_median']:10.1f} {row['import_ms_median']:10.1f} "
            f"{row['import_ms_min']:7.1f} {row['import_ms_max']:7.1f}  {heavy}"
        )


if __name__ == "__main__":
    main()
