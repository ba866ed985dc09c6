"""The operational half: person-level records of the early-signals (vroegsignalering) workflow.

The only package that imports sqlalchemy. Modules: settings, db (engine), models, codes (DDAS
code lists), migrate (Alembic, migrations/ beside it), auth (accounts, sessions, roles), audit,
addresses (normalising, postcode -> buurt), intake (partner files), households (matching and
flags), priority, outreach, retention (purge), reach (aggregates), ddas (monthly export), demo,
web (routes under /werk).
"""
