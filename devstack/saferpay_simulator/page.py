"""The payer's side: the payment page a RedirectUrl opens. A plain HTML form (card number,
expiry, CVC, holder) that a browser or a script can fill and submit; after the payment (or a
cancel) the browser goes back to the shop's ReturnUrl, unchanged, and the notification goes out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from flask import Blueprint, Response, redirect, request

from .cards import CardInputError, read_card
from .ledger import PageProblem
from .state import PageSession
from .wire import major_units

if TYPE_CHECKING:
    from .server import SaferpaySimulator

PAGE_PATH = "/vt2/api/PaymentPage/<customer_id>/<terminal_id>/<token>"


def create_page_blueprint(sim: SaferpaySimulator) -> Blueprint:
    bp = Blueprint("saferpay_page", __name__)

    def session_for(customer_id: str, terminal_id: str, token: str) -> PageSession:
        session = sim.ledger.open_session(token)
        if customer_id != sim.config.customer_id or terminal_id != session.request.terminal_id:
            raise PageProblem(404, "This payment page does not exist.")
        return session

    @bp.get(PAGE_PATH)
    def show(customer_id: str, terminal_id: str, token: str) -> Response:
        try:
            session = session_for(customer_id, terminal_id, token)
        except PageProblem as problem:
            return _message_page(problem.status, problem.message)
        return _form_page(sim, session, [])

    @bp.post(PAGE_PATH)
    def submit(customer_id: str, terminal_id: str, token: str) -> Response:
        try:
            session = session_for(customer_id, terminal_id, token)
            if request.form.get("action") == "cancel":
                sim.ledger.abort(token)
            else:
                entry = read_card(request.form, sim.clock.now_dt().date())
                sim.ledger.pay(token, entry, request.remote_addr)
        except PageProblem as problem:
            return _message_page(problem.status, problem.message)
        except CardInputError as invalid:
            return _form_page(sim, session, invalid.messages, status=400)
        # Saferpay returns no data to the ReturnUrl: the shop asks with Assert.
        return redirect(session.request.return_url, code=303)  # type: ignore[return-value]

    return bp


def _form_page(
    sim: SaferpaySimulator, session: PageSession, problems: list[str], status: int = 200
) -> Response:
    asked = session.request
    exponent = sim.config.currencies.get(asked.currency, 2)
    amount = major_units(asked.amount_value, exponent)
    expires = datetime.fromtimestamp(session.expires_at, tz=UTC).strftime("%H:%M UTC")
    errors = "".join(f"<li>{escape(p)}</li>" for p in problems)
    order = f"<p>Order: {escape(asked.order_id)}</p>" if asked.order_id else ""
    fields = "\n".join(
        f'<label>{label} <input name="{name}" {attrs} required></label><br>'
        for label, name, attrs in (
            ("Card number", "CardNumber", 'inputmode="numeric" autocomplete="cc-number"'),
            ("Expiry month", "ExpMonth", 'inputmode="numeric" autocomplete="cc-exp-month"'),
            ("Expiry year", "ExpYear", 'inputmode="numeric" autocomplete="cc-exp-year"'),
            ("CVC", "VerificationCode", 'inputmode="numeric" autocomplete="cc-csc"'),
        )
    )
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Saferpay Payment Page (simulator)</title></head>
<body>
<h1>Payment</h1>
<p class="amount">{amount} {escape(asked.currency)}</p>
<p class="description">{escape(asked.description)}</p>
{order}
<p>This page expires at {expires}.</p>
{f'<ul class="errors">{errors}</ul>' if errors else ""}
<form method="post" action="{escape(request.path)}">
{fields}
<label>Card holder <input name="HolderName" autocomplete="cc-name"></label><br>
<button type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
</body></html>
"""
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _message_page(status: int, message: str) -> Response:
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Saferpay Payment Page (simulator)</title></head>
<body><h1>Payment</h1><p class="message">{escape(message)}</p></body></html>
"""
    return Response(html, status=status, content_type="text/html; charset=utf-8")
