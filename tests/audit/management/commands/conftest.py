"""The records fixtures, for the tests of the records commands."""

from tests.audit.records.conftest import records_file, run_import  # noqa: F401  (fixtures)
