"""The model + a period -> a review: its figures, the JSON data of SPEC 7, the context the
review note's template shows (one builder per section), and the terminal view."""
