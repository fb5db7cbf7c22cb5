"""Prompt tokens the ask loop sends for three typical questions, against sending the raw
invoice list, and the ask function's cold-start import time.

Tokens are what the fake OpenAI-compatible server (devstack/fake_openai.py) reports in
`usage`: ceil(characters of the JSON request's messages + tools / 4), OpenAI's rule of thumb
for English and JSON (real tokenisers land within ~20% of it on this kind of text). The raw
baseline is the system prompt + question + Xero's full Invoices JSON (what a naive
integration would paste in), counted the same way. The fake model follows its default
policy (one relevant tool, then an answer), so the figures are one tool round each.

Two organisations: the demo books of the tests (8 invoices), and a larger one generated from
it (500 invoices, 60 contacts) where trimming matters most.

    .venv/bin/python bench/ask_prompt_tokens.py [--samples 5]
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "shared")]

from openai import OpenAI  # noqa: E402

from bench.coldstart import _PROBE, HEAVY, _load_statement, _sample  # noqa: E402
from devstack.fake_openai import FakeOpenAI, estimate_tokens  # noqa: E402
from devstack.template import SamTemplate  # noqa: E402
from tests.unit.ask import books  # noqa: E402
from xero_bridge.ask.conversation import LoopLimits, ToolRunner, run_conversation  # noqa: E402
from xero_bridge.ask.prompts import system_prompt  # noqa: E402
from xero_bridge.ask.tools import ToolContext  # noqa: E402

QUESTIONS = [
    "Which customers owe us more than 30 days?",
    "Why did expenses rise in March?",
    "Show me our unpaid bills",
]


def _big_books() -> books.MemoryBooks:
    """The demo books scaled up: 500 invoices over 60 contacts (ids stay unique)."""
    source = books.MemoryBooks()
    invoices = []
    for n in range(500):
        template = copy.deepcopy(books.INVOICES[n % len(books.INVOICES)])
        template["InvoiceID"] = f"{n:08d}-0000-4000-8000-000000000000"
        template["InvoiceNumber"] = f"{template['InvoiceNumber'][:4]}{n:05d}"
        template["Contact"] = {
            "ContactID": f"c{n % 60:07d}-0000-4000-8000-000000000000",
            "Name": f"Customer {n % 60}",
        }
        template["Total"] = template["Total"] + Decimal(n)
        template["AmountDue"] = template["AmountDue"] + (Decimal(n) if template["AmountDue"] else 0)
        invoices.append(template)

    def invoices_page(**kwargs: Any) -> list[dict[str, Any]]:
        page = kwargs.get("page", 1)
        items = invoices[(page - 1) * 100 : page * 100]
        if kwargs.get("summary_only", True):
            items = [{k: v for k, v in i.items() if k != "LineItems"} for i in items]
        return items

    source.invoices = invoices_page  # type: ignore[method-assign]
    source.all_invoices = invoices  # type: ignore[attr-defined]
    return source


def _raw_tokens(question: str, invoices: list[dict[str, Any]]) -> int:
    messages = [
        {"role": "system", "content": system_prompt(books.TODAY)},
        {"role": "user", "content": question},
        {"role": "user", "content": json.dumps({"Invoices": invoices}, default=str)},
    ]
    return estimate_tokens({"messages": messages, "tools": []})


def measure_tokens() -> list[dict[str, Any]]:
    rows = []
    with FakeOpenAI(api_key=None) as fake:
        client = OpenAI(base_url=fake.url, api_key="bench", max_retries=0)
        for label, make, invoices in (
            ("demo (8 invoices)", books.MemoryBooks, books.INVOICES),
            ("large (500 invoices)", _big_books, None),
        ):
            for question in QUESTIONS:
                source = make()
                fake.reset()
                messages = [
                    {"role": "system", "content": system_prompt(books.TODAY)},
                    {"role": "user", "content": question},
                ]
                runner = ToolRunner(source, ToolContext(today=books.TODAY))
                result = run_conversation(client, "fake-gpt", messages, runner, LoopLimits())
                raw_invoices = invoices if invoices is not None else source.all_invoices  # type: ignore[attr-defined]
                rows.append(
                    {
                        "org": label,
                        "question": question,
                        "tools": ",".join(s["tool"] for s in result.sources) or "-",
                        "model_calls": result.usage.model_calls,
                        "prompt_tokens": result.usage.prompt_tokens,
                        "largest_prompt": max(
                            estimate_tokens(
                                {"messages": r.body["messages"], "tools": r.body.get("tools", [])}
                            )
                            for r in fake.chat_requests
                        ),
                        "raw_prompt": _raw_tokens(question, raw_invoices),
                    }
                )
    return rows


def measure_coldstart(samples: int) -> dict[str, float]:
    template = SamTemplate()
    code_dir, handler = template.function_code("AskFunction")
    code = _PROBE.format(load=_load_statement(code_dir, handler), heavy=HEAVY)
    _sample(code)
    imports = [_sample(code)[1]["import_s"] * 1000 for _ in range(samples)]
    baseline = [
        _sample(_PROBE.format(load="import boto3", heavy=HEAVY))[1]["import_s"] * 1000
        for _ in range(samples)
    ]
    return {
        "median": statistics.median(imports),
        "min": min(imports),
        "max": max(imports),
        "boto3": statistics.median(baseline),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    print("prompt tokens per question (estimate: JSON characters / 4, as the fake reports)")
    print(
        f"{'organisation':22} {'question':44} {'tools':18} {'calls':>5} "
        f"{'sent total':>10} {'largest':>8} {'raw list':>9} {'saved':>6}"
    )
    for row in measure_tokens():
        saved = 1 - row["largest_prompt"] / row["raw_prompt"]
        print(
            f"{row['org']:22} {row['question'][:44]:44} {row['tools'][:18]:18} "
            f"{row['model_calls']:5d} {row['prompt_tokens']:10d} {row['largest_prompt']:8d} "
            f"{row['raw_prompt']:9d} {saved:6.0%}"
        )
    try:
        cold = measure_coldstart(args.samples)
    except Exception as exc:  # the handler's imports may not all exist yet in a checkout
        print(f"\nAskFunction cold start: not measurable here ({type(exc).__name__})")
        return
    print(
        f"\nAskFunction cold-start import, median of {args.samples}: {cold['median']:.1f} ms "
        f"(min {cold['min']:.1f}, max {cold['max']:.1f}); import boto3 alone: "
        f"{cold['boto3']:.1f} ms"
    )


if __name__ == "__main__":
    main()
