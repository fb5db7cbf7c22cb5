"""The HTTP endpoints, one blueprint per resource group."""
