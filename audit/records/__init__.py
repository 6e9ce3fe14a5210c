"""Records-v1: the portal's interchange format for history, evidence and replays.

``records_import`` reads files of any size into the database (COPY for the audit trail);
``records_export`` writes the database back out in the same format. The management commands
``import_records``, ``export_records`` and ``export_findings`` are thin adapters over these.
"""

from .importer import DEFAULT_BATCH_SIZE, records_import
from .problems import ImportReport, Problem, RecordError
from .writer import EXPORTERS, records_export

__all__ = ["DEFAULT_BATCH_SIZE", "EXPORTERS", "ImportReport", "Problem", "RecordError", "records_export",
           "records_import"]
