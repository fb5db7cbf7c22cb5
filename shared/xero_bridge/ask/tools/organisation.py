"""get_organisation: who the books belong to, and what day it is for them."""

from __future__ import annotations

from xero_bridge.ask.source import BooksSource
from xero_bridge.ask.tools.compact import short_text
from xero_bridge.ask.tools.definition import Args, SourceRecord, ToolContext, ToolResult


class NoArgs(Args):
    pass


def get_organisation(source: BooksSource, args: NoArgs, ctx: ToolContext) -> ToolResult:
    org = source.organisation()
    fy_day, fy_month = org.get("FinancialYearEndDay"), org.get("FinancialYearEndMonth")
    data = {
        "name": short_text(org.get("Name")),
        "base_currency": org.get("BaseCurrency"),
        "country": org.get("CountryCode"),
        "organisation_type": org.get("OrganisationType"),
        "financial_year_end": f"{fy_day}/{fy_month} (day/month)" if fy_day and fy_month else None,
        "timezone": org.get("Timezone"),
        "today": ctx.today,
    }
    org_id = str(org.get("OrganisationID") or "organisation")
    return ToolResult(data, [SourceRecord("organisation", org_id, short_text(org.get("Name")))])
