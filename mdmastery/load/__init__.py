"""Loading a vault into the model, fast: the incremental pipeline (what changed, read,
parse, update or assemble), the SQLite index, its pickles, worker processes, and the
watch's vault kept in memory. All of mdmastery's speed machinery is here; the stages it
runs (reading, model) read plainly."""
