"""Routers, each made by a small factory: api_v1.router() and pages.router()."""
