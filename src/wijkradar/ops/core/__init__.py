"""The operational store itself: engine and sessions, settings, tables and their migrations,
the clock, engine-specific SQL, and what every workflow shares (addresses and the postcode table,
the personal-data check for free text). Imports nothing else of ops/."""
