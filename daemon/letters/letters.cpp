// The letters module is being written.
