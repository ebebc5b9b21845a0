"""What goes wrong with an import, said so that a person can fix the file."""


class ImportFailed(Exception):
    """The file cannot be imported at all; nothing was written."""


class RowRejected(Exception):
    """One row cannot be used; the import goes on and the report names the row and why."""
