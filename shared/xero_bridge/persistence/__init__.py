"""Data access: every DynamoDB read and write of the product goes through this package.

One module per table; logic imports these functions and never touches boto3 itself.
"""
