"""AWS adapters: SQS queues, the EventBridge bus, SES e-mail and KMS, called through boto3.

With `xero_bridge.persistence` (DynamoDB), these are the only modules that import boto3 or
botocore: the rest of the product says what to send, these say how AWS is called. Clients
are created once per process, with short timeouts (a Lambda must answer long before
botocore's default 60-second read timeout).
"""
