"""GET /health: the product's version and whether its dependencies answer (no sign-in).

Not traced: monitors call it every minute, and X-Ray's SDK would add ~150 ms to its cold start
for traces nobody reads. It logs, as every function does.
"""

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from xero_bridge.health import HealthReport, check_health
from xero_bridge.http.resolver import HttpApi
from xero_bridge.http.schemas import responses
from xero_bridge.observability import logger

# No request to validate: the validating middleware would only cost cold start.
app = HttpApi(enable_validation=False)
ANSWERS = responses(
    {
        200: (HealthReport, "Every dependency answers"),
        503: (HealthReport, "A dependency does not answer"),
    }
)


@app.get("/health", responses=ANSWERS)
def health() -> Response[HealthReport]:
    report = check_health()
    return Response(
        status_code=200 if report.status == "ok" else 503,
        content_type="application/json",
        body=report,
    )


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
