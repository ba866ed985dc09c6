"""Registers: groups, initiatives (HSDS), maatwerk contacts, escalations (LET), Big 5, fit-gap."""
