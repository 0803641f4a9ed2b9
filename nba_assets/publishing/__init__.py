"""Publishing: the JSON exports a front end reads, each validated against its JSON Schema."""
