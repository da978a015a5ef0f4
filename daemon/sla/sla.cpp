// The SLA module is being written.
