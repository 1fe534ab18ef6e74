"""`mdmastery watch`: keep the reviews of the current periods up to date while the
vault's notes change (run.py starts it; events.py hears the changes; watcher.py waits for
quiet, re-reads what changed through the loader's live vault and writes the reviews)."""
