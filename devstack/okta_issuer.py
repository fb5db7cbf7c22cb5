"""The development Okta issuer, kept importable under its first name.

Everything lives in the package ``devstack.okta`` (see its docstring and directory.py for the
demo users, their passwords and the console client); this module re-exports all of it, so
``from devstack.okta_issuer import DevOktaIssuer`` keeps working.
"""

from devstack.okta import *  # noqa: F403
from devstack.okta import __all__ as __all__
