"""Pure scoring functions: arrays and Arrow tables in, arrays and Arrow tables out. No I/O."""
