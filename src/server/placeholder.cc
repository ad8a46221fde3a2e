// Removed once the server wiring exists.
