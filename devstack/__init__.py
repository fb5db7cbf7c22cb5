"""The local stack of `make dev`: AWS from moto, the Xero simulator, a dev Okta issuer and a
gateway that serves template.yaml's routes with the real handlers. Development only: none
of this is deployed."""
