"""`make deploy-web`: deploy the console's stack, write config.json, upload, invalidate.

    STACK=xero-bridge-dev OKTA_CONSOLE_CLIENT_ID=0oa... make deploy-web

1. Reads the API stack's `ApiUrl` output and `OktaIssuer` parameter (``$STACK``).
2. Deploys ``web/deploy/console-stack.yaml`` as ``$STACK-console`` (bucket, CloudFront with
   origin access control, security headers, the SPA fallback) with the API's and Okta's origins
   for the CSP.
3. Builds the console (``npm run build``), writes ``config.json`` from the stacks' values,
   uploads (hashed assets cached for a year, index.html and config.json never) and removes
   what the build no longer has, then invalidates CloudFront.
"""

from __future__ import annotations

import json
import mimetypes
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3

WEB_DIR = Path(__file__).resolve().parents[1]
TEMPLATE = WEB_DIR / "deploy" / "console-stack.yaml"
IMMUTABLE = "public, max-age=31536000, immutable"
NEVER_CACHED = {"index.html": "no-cache", "config.json": "no-store"}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stack_values(cloudformation: Any, stack: str) -> dict[str, str]:
    """A stack's outputs and parameters by name (outputs win)."""
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    values = {
        p["ParameterKey"]: p.get("ParameterValue", "") for p in described.get("Parameters", [])
    }
    values.update({o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])})
    return values


def console_config(api: dict[str, str], client_id: str) -> dict[str, str]:
    """The console's /config.json: the API it calls and the Okta app it signs in with."""
    if not client_id:
        raise SystemExit("error: set OKTA_CONSOLE_CLIENT_ID to the Okta SPA app's client id")
    return {
        "apiUrl": api["ApiUrl"].rstrip("/"),
        "oktaIssuer": api["OktaIssuer"],
        "oktaClientId": client_id,
    }


def cache_control(key: str) -> str:
    return IMMUTABLE if key.startswith("assets/") else NEVER_CACHED.get(key, "no-cache")


def upload(s3: Any, dist: Path, bucket: str) -> list[str]:
    """Put every file of the build (entry page last), delete what the build no longer has."""
    files = sorted(p for p in dist.rglob("*") if p.is_file() and not p.name.startswith("."))
    keys = [p.relative_to(dist).as_posix() for p in files]
    ordered = sorted(zip(keys, files, strict=True), key=lambda kf: kf[0] == "index.html")
    for key, path in ordered:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=kind,
            CacheControl=cache_control(key),
        )
    stale = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", [])
        if item["Key"] not in keys
    ]
    for start in range(0, len(stale), 1000):
        s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start : start + 1000]]}
        )
    return keys


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    answer = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": 1, "Items": ["/*"]},
            "CallerReference": str(time.time()),
        },
    )
    return str(answer["Invalidation"]["Id"])


def deploy_stack(api: dict[str, str], name: str) -> None:
    okta = origin(api["OktaIssuer"])
    subprocess.run(
        ["sam", "deploy", "--template-file", str(TEMPLATE), "--stack-name", name,
         "--no-fail-on-empty-changeset", "--parameter-overrides",
         f"ApiOrigin={origin(api['ApiUrl'])}", f"OktaOrigin={okta}"],
        check=True,
    )  # fmt: skip


def main() -> int:
    stack = os.environ.get("STACK", "xero-bridge-dev")
    web_stack = os.environ.get("WEB_STACK", f"{stack}-console")
    cloudformation = boto3.client("cloudformation")
    api = stack_values(cloudformation, stack)
    config = console_config(api, os.environ.get("OKTA_CONSOLE_CLIENT_ID", ""))
    deploy_stack(api, web_stack)
    site = stack_values(cloudformation, web_stack)
    subprocess.run(["npm", "run", "build"], cwd=WEB_DIR, check=True)
    dist = WEB_DIR / "dist"
    (dist / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    upload(boto3.client("s3"), dist, site["BucketName"])
    invalidation = invalidate(boto3.client("cloudfront"), site["DistributionId"])
    url = site["ConsoleUrl"]
    print(f"console: {url} (invalidation {invalidation})")
    allowed = [o.strip() for o in api.get("CorsAllowedOrigins", "").split(",")]
    if url not in allowed:
        print(
            f"warning: add {url} to the API stack's CorsAllowedOrigins, and {url}/login/callback"
            f" to the Okta app's sign-in redirect URIs (and {url} to its trusted origins)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
