"""The Xero client every feature uses: `accounting_api(tenant_id)` and `xero_call(fn)`.

```python
from xero_bridge.xero.client import accounting_api, xero_call

api = accounting_api(tenant_id)                    # a xero_python AccountingApi for one tenant
invoices = xero_call(lambda: api.get_invoices(tenant_id, i_ds=[...]))
```

`accounting_api(tenant_id)` returns xero-python's `AccountingApi` with
`base_url = XERO_API_URL + "/api.xro/2.0"` over a `BridgeApiClient` that:

- takes its access token from the token manager (`xero_bridge.xero.tokens`) on every request:
  refreshed on demand, safely under concurrency. xero-python never refreshes by itself (it
  has no client credentials, and its refresh is not concurrency-safe);
- is bound to `tenant_id`: a call naming another tenant in `xero-tenant-id` is refused
  (ForbiddenError) before anything is sent, because one token set may reach several tenants;
- checks each call against the scopes the connection was granted (`xero_bridge.xero.scopes`)
  before sending it: one they do not cover is a 403 `xero_scope_missing`, nothing sent;
- on a 401 `AuthorizationUnsuccessful` (the token lacks a scope) marks the connection with
  the missing scope and answers that 403 too (`xero_bridge.xero.scope_check`); on any other
  401, refreshes once (only if nobody has replaced the refused token meanwhile) and repeats
  the request; a second 401 surfaces;
- repeats what Xero refused for now (429 after its Retry-After, 502-504 and dropped
  connections for reads and Idempotency-Key writes), with backoff and a bounded total wait:
  `xero_bridge.xero.retries` says which and how long;
- holds a slot of the shared call budget (`xero_bridge.xero.rate_budget`, when
  RATE_BUDGET_TABLE is set) around each request and teaches it Xero's rate-limit headers;
- sends JSON bodies with every Decimal as an exact JSON number (`xero_bridge.xero.exact_json`;
  xero-python alone would send floats);
- hands every successful write's answer to `notify.origins`, which remembers the versions it
  produced (so the webhook about our own write says it was ours);
- sends every request with connect/read timeouts (XERO_CONNECT_TIMEOUT_SECONDS,
  XERO_READ_TIMEOUT_SECONDS), never repeats a read that timed out, and refuses `async_req`
  (its thread pool fails on Lambda).

`xero_call(fn)` runs `fn()` and maps what xero-python and urllib3 raise (once the client's
repeats are spent) to the product's errors (xero_bridge.errors): 400 → ValidationFailedError
(422, Xero's ValidationErrors messages in `details`); 401 (after the client's one refresh)
→ UpstreamError (502); 403 → ForbiddenError; 404 → NotFoundError; 429 → RateLimitedError
(Retry-After from Xero); 503, timeouts, connection failures → ServiceUnavailableError (503);
other 5xx → UpstreamError.
Errors of ours raised inside `fn` (a refused tenant, a dead connection, a missing scope)
pass unchanged.
`XeroCall` is the type of the function `xero_call` takes (for annotations).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Any

import urllib3
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient
from xero_python.api_client.configuration import Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.exceptions import ApiException, HTTPStatusException, OAuth2Error
from xero_python.rest import RESTClientObject

from xero_bridge.errors import (
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServiceUnavailableError,
    UpstreamError,
    ValidationFailedError,
    XeroBridgeError,
)
from xero_bridge.notify.origins import observe_write
from xero_bridge.observability import logger
from xero_bridge.persistence.token_sets import TokenSet
from xero_bridge.settings import get_settings
from xero_bridge.xero import observed, retries, scope_check
from xero_bridge.xero.exact_json import ExactJsonRestClient, encode_body
from xero_bridge.xero.headers import headers_of, retry_after_seconds
from xero_bridge.xero.retries import RetryPolicy, describe
from xero_bridge.xero.tokens import TokenManager, token_manager

XeroCall = Callable[[], Any]

__all__ = [
    "BridgeApiClient",
    "XeroCall",
    "accounting_api",
    "map_xero_error",
    "raw_json",
    "xero_call",
]


@lru_cache(maxsize=1)
def _shared_rest_client() -> RESTClientObject:
    """One urllib3 pool for every ApiClient of the process (it is thread-safe)."""
    # Exact JSON bodies (Decimals digit for digit) are sent as encoded: see exact_json.
    rest = ExactJsonRestClient(Configuration())
    # Retry only connects that failed (nothing was sent); never a read, never a status.
    # Statuses and Retry-After are BridgeApiClient's to handle (inside the call budget).
    rest.pool_manager.connection_pool_kw["retries"] = urllib3.Retry(
        total=2,
        connect=2,
        read=0,
        status=0,
        redirect=0,
        other=0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    return rest


def reset_client_caches() -> None:
    _shared_rest_client.cache_clear()


def _has_idempotency_key(header_params: Any) -> bool:
    return any(
        key.lower() == "idempotency-key" and value for key, value in (header_params or {}).items()
    )


def _budget() -> Any:
    """The shared call budget, or None when this function has no RATE_BUDGET_TABLE."""
    if not get_settings().rate_budget_table:
        return None
    from xero_bridge.xero.rate_budget import xero_budget

    return xero_budget


class BridgeApiClient(ApiClient):
    """xero-python's ApiClient for one tenant, with tokens from the token manager."""

    def __init__(self, tenant_id: str, manager: TokenManager | None = None) -> None:
        self.tenant_id = tenant_id
        self.manager = manager or token_manager
        self._local = threading.local()
        # No client id/secret: xero-python cannot refresh on its own; expiry is still given
        # (xero-python ignores tokens without expires_at) and is always beyond the margin.
        configuration = Configuration(oauth2_token=OAuth2Token(expiration_buffer=0))
        super().__init__(
            configuration,
            oauth2_token_getter=self._token_dict,
            oauth2_token_saver=self._refuse_saving,
        )
        self.rest_client = _shared_rest_client()
        settings = get_settings()
        self.timeouts = (settings.xero_connect_timeout_seconds, settings.xero_read_timeout_seconds)

    # ------------------------------------------------------------------ tokens
    def _current_set(self) -> TokenSet:
        token_set = getattr(self._local, "token_set", None)
        if token_set is None:
            token_set = self.manager.token_set_for_tenant(self.tenant_id)
        return token_set

    def _token_dict(self) -> dict[str, Any]:
        token_set = self._current_set()
        return {
            "access_token": token_set.access_token.get_secret_value(),
            "expires_at": token_set.access_expires_at,
            "expires_in": 1800,
            "token_type": "Bearer",
            "scope": list(token_set.scopes),
        }

    def _refuse_saving(self, token: Any) -> None:
        raise OAuth2Error("xero-python may not store tokens: the token manager does")

    # ------------------------------------------------------------------ requests
    def call_api(
        self,
        resource_path: str,
        method: str,
        path_params: Any = None,
        query_params: Any = None,
        header_params: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        self._prepare(header_params, kwargs)
        budget = _budget()
        policy = RetryPolicy.from_settings()
        idempotent = _has_idempotency_key(header_params)
        path = scope_check.accounting_path(resource_path)
        params = (path_params, query_params, header_params)
        refreshed, attempt, waited = False, 0, 0.0
        while True:
            token_set = self.manager.token_set_for_tenant(self.tenant_id)
            scope_check.refuse_ungranted(token_set.scopes, str(method), path)
            self._local.token_set = token_set
            try:
                return self._attempt(budget, path, resource_path, method, params, *args, **kwargs)
            except HTTPStatusException as exc:
                if budget:
                    budget.observe(self.tenant_id, headers_of(exc.http_resp))
                if scope_check.is_scope_refusal(exc.status, exc.http_resp):
                    raise scope_check.refused_by_xero(
                        self.tenant_id, token_set.token_set_id, str(method), path
                    ) from None
                if exc.status == 401 and not refreshed:
                    self._refresh_once(token_set)
                    refreshed = True
                    continue
                failure: Exception = exc
            except urllib3.exceptions.HTTPError as exc:
                failure = exc
            finally:
                self._local.token_set = None
            wait = policy.delay(failure, str(method), idempotent, attempt)
            if wait is None or waited + wait > policy.max_wait:
                raise failure
            self._pause_before_repeat(failure, attempt, wait)
            attempt, waited = attempt + 1, waited + wait

    def _prepare(self, header_params: Any, kwargs: dict[str, Any]) -> None:
        """Refuse what must not be sent; encode a JSON body exactly (in `kwargs`)."""
        if kwargs.get("async_req"):
            raise ValueError("async_req is not supported (its thread pool fails on Lambda)")
        kwargs.pop("async_req", None)
        body = kwargs.get("body")
        content_type = str((header_params or {}).get("Content-Type") or "application/json")
        if body is not None and not isinstance(body, bytes | str) and "json" in content_type:
            # xero-python would turn every Decimal into a float: encode it exactly here.
            kwargs["body"] = encode_body(body)
        named = (header_params or {}).get("xero-tenant-id")
        if named is not None and named != self.tenant_id:
            raise ForbiddenError("this Xero client is bound to another organisation")

    def _attempt(
        self,
        budget: Any,
        path: str | None,
        resource_path: str,
        method: str,
        params: tuple[Any, Any, Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """One request inside the call budget (fresh copies of the parameters each time)."""
        path_params, query_params, header_params = params
        with (
            budget.call(self.tenant_id) if budget else contextlib.nullcontext(),
            observed.attempt(self.tenant_id, str(method), path or ""),
        ):
            result = super().call_api(
                resource_path,
                method,
                dict(path_params) if path_params else path_params,
                list(query_params) if query_params else query_params,
                dict(header_params) if header_params else header_params,
                *args,
                **kwargs,
            )
        if budget:
            budget.observe(self.tenant_id, headers_of(self.last_response))
        # A write's answer names the versions it produced: their echoes are ours.
        observe_write(self.tenant_id, str(method), resource_path, self.last_response)
        return result

    def _refresh_once(self, token_set: TokenSet) -> None:
        logger.info(
            "xero refused the access token; refreshing once",
            extra={"tenant_id": self.tenant_id},
        )
        self.manager.refresh(
            token_set.token_set_id,
            stale_access_token=token_set.access_token.get_secret_value(),
        )

    def _pause_before_repeat(self, failure: Exception, attempt: int, wait: float) -> None:
        logger.info(
            "repeating a xero call",
            extra={
                "tenant_id": self.tenant_id,
                "failure": describe(failure),
                "attempt": attempt + 1,
                "wait_seconds": round(wait, 3),
            },
        )
        retries.sleep(wait)
        observed.repeated()

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("_request_timeout"):
            kwargs["_request_timeout"] = self.timeouts
        return super().request(method, url, *args, **kwargs)


def raw_json(response: Any) -> Any:
    """The JSON of a raw answer (`_preload_content=False`), every number a Decimal; {} when
    empty. xero-python's models would turn amounts into floats. The connection goes back to
    the pool."""
    try:
        data = response.data
    finally:
        release = getattr(response, "release_conn", None)
        if release is not None:
            release()
    return json.loads(data, parse_float=Decimal) if data else {}


def accounting_api(tenant_id: str, manager: TokenManager | None = None) -> AccountingApi:
    """xero-python's AccountingApi for `tenant_id`, against XERO_API_URL."""
    if not tenant_id:
        raise NotFoundError("no organisation given")
    base_url = str(get_settings().xero_api_url).rstrip("/") + "/api.xro/2.0"
    return AccountingApi(BridgeApiClient(tenant_id, manager), base_url=base_url)


# ---------------------------------------------------------------------------- errors
def _body_json(exc: ApiException) -> Any:
    data = getattr(exc.http_resp, "data", None) if exc.http_resp is not None else None
    if not data:
        return None
    try:
        return json.loads(data, parse_float=Decimal)
    except (ValueError, TypeError):
        return None


def _validation_messages(body: Any) -> list[dict[str, Any]]:
    """Xero's ValidationErrors messages, one detail each (which element, what message)."""
    details: list[dict[str, Any]] = []
    if not isinstance(body, dict):
        return details
    for index, element in enumerate(body.get("Elements") or []):
        if not isinstance(element, dict):
            continue
        for error in element.get("ValidationErrors") or []:
            if isinstance(error, dict) and error.get("Message"):
                details.append({"element": index, "message": str(error["Message"])})
    if not details and body.get("Message"):
        details.append({"message": str(body["Message"])})
    if not details and body.get("Detail"):
        details.append({"message": str(body["Detail"])})
    return details


def map_xero_error(exc: BaseException) -> XeroBridgeError:
    """The product error for an exception out of xero-python or urllib3."""
    if isinstance(exc, XeroBridgeError):
        return exc
    if isinstance(exc, ApiException):
        status = exc.status if isinstance(exc.status, int) else 0
        headers = headers_of(exc.http_resp)
        if status == 400:
            body = _body_json(exc)
            return ValidationFailedError(
                "Xero rejected the request", _validation_messages(body) or None
            )
        if status == 401:
            return UpstreamError("Xero did not accept the connection's access token")
        if status == 403:
            return ForbiddenError("Xero refused access to this organisation or resource")
        if status == 404:
            return NotFoundError("Xero has no such resource")
        if status == 429:
            lowered = {key.lower(): value for key, value in headers.items()}
            problem = lowered.get("x-rate-limit-problem")
            return RateLimitedError(
                "Xero's rate limit was reached",
                retry_after=retry_after_seconds(headers) or 60.0,
                details=[{"limit": problem}] if problem else None,
            )
        if status in (502, 503, 504) or status == 0:
            return ServiceUnavailableError("Xero is not available right now")
        if status >= 500:
            return UpstreamError(f"Xero failed the request (HTTP {status})")
        return UpstreamError(f"Xero refused the request (HTTP {status})")
    if isinstance(exc, urllib3.exceptions.HTTPError):
        return ServiceUnavailableError("Xero could not be reached or did not answer in time")
    if isinstance(exc, OAuth2Error):
        return UpstreamError("the Xero access token could not be used")
    return XeroBridgeError("internal error")


def xero_call[T](fn: Callable[[], T]) -> T:
    """Run one Xero call; what it raises comes out as the product's errors (see above)."""
    try:
        return fn()
    except XeroBridgeError:
        raise
    except (ApiException, OAuth2Error, urllib3.exceptions.HTTPError) as exc:
        error = map_xero_error(exc)
        logger.info(
            "xero call failed",
            extra={"error_code": error.code, "status": getattr(exc, "status", None)},
        )
        raise error from None


@contextlib.contextmanager
def xero_errors() -> Iterator[None]:
    """`with xero_errors(): ...` — `xero_call` for a block of several calls."""
    try:
        yield
    except XeroBridgeError:
        raise
    except (ApiException, OAuth2Error, urllib3.exceptions.HTTPError) as exc:
        raise map_xero_error(exc) from None
