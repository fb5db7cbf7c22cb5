"""Data access: every DynamoDB read and write of the product goes through this package.

One module per table, each built on the toolkit in `dynamodb.py` (tables, paged queries,
condition failures, update expressions); logic imports these functions and never touches
boto3 itself.
"""
