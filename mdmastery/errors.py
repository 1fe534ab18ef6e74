"""The one exception family the command line turns into a one-line message and exit 1."""


class MdmasteryError(Exception):
    """An error the user can act on; its message names the file (and line) concerned."""
