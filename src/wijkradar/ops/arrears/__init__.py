"""The early-signals workflow on payment arrears: a creditor's file read through its mapping
(rows, mapping, intake), cases and their priority, DDAS codes and monthly figures, reach, the
retention purge, and the workspace demo."""
