"""Ask GPT about the books: read-only tools over a tenant's Xero data, a bounded loop, masking.

Modules are imported where used (no re-exports here) so importing one part stays cheap.
"""
