"""Xero Bridge's shared library: what every Lambda function of the product uses.

Plain Python, testable without Lambda. SAM ships this package in the shared layer.
"""

__version__ = "0.1.0"
