"""The operational half: person-level records of the early-signals (vroegsignalering) workflows.

The only package that imports sqlalchemy. From the ground up: core (the store: engine,
settings, tables, migrations, clock, addresses, the free-text check), accounts (auth, audit),
arrears (partner files, cases, priority, reach, retention, DDAS) and partners (partner signals,
radar, vindplaatsen). Here, over them: store (the server's handle, with the daily purge), web
(the /werk shell and the arrears pages) and i18n (its words), with the templates of both.
"""
