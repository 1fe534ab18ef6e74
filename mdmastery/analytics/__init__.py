"""Pure figures over the model: habits, goals, the journal.

Nothing here reads the clock or the filesystem: every function takes the day it
computes as of (and, where "not yet done today" matters, today) as an argument.
"""
